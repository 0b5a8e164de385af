// OBO301: a resource used with system auth (no user client) that the log site does not declare.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { Fix, TextEdit } from '../model';
import { addKeyword, ensureImport, insertIntoList, quoteOf } from '../fixes/edits';
import type { LogSite, ResourceItem } from '../obo/logsites';
import type { AgentNeeds, ResourceFact } from '../obo/needs';
import { type FindingSink, q } from './context';

function declaredResources(site: LogSite): ResourceItem[] | undefined {
  if (!site.systemResources && !site.resourcesKw) {
    return undefined;
  }
  return [...(site.systemResources?.items ?? []), ...(site.resourcesKw?.items ?? [])];
}

export function isDeclared(fact: ResourceFact, declared: ResourceItem[]): boolean {
  return declared.some(
    (d) => d.resource === fact.resource && (!fact.name || !d.name || d.name === fact.name),
  );
}

export function resourceRules(
  sink: FindingSink,
  site: LogSite,
  needs: AgentNeeds,
  cat: CatalogIndex,
): ResourceFact[] {
  const declared = declaredResources(site) ?? [];
  const partial = !!(site.systemResources?.partial || site.resourcesKw?.partial);
  const missing = needs.resources.filter((fact) => !isDeclared(fact, declared));
  if (partial && missing.length) {
    // A computed list: one note where it is declared, not a guess on every resource it may hold.
    const at = site.resourcesKw ? site.resourcesKw.at : (site.systemResources?.policy.site ?? site.site);
    const labels = [...new Set(missing.map((f) => (f.name ? `${f.resource}(${q(f.name)})` : f.resource)))];
    sink.add(
      'OBO100',
      at,
      `The resources declared here cannot be resolved statically, so ${labels.join(', ')}, used with system ` +
        `credentials by the agent, cannot be checked against them.`,
    );
    return missing;
  }
  for (const fact of missing) {
    const siteFile = path.basename(site.site.mod.unit.origin);
    const fix = fact.name ? addResourceFix(site, fact, cat, siteFile) : undefined;
    const label = fact.name ? `${fact.resource}(${q(fact.name)})` : fact.resource;
    sink.add(
      'OBO301',
      fact.site,
      `${fact.because} runs with the agent's own (system) credentials, but ${label} is not declared in the ` +
        `resources logged in ${siteFile}: Model Serving will not grant access to it.`,
      {
        severity: partial ? 'information' : undefined,
        fixes: fix ? [fix] : undefined,
        details: { resource: fact.resource, name: fact.name, logSite: site.site.mod.unit.origin },
      },
    );
  }
  return missing;
}

function addResourceFix(
  site: LogSite,
  fact: ResourceFact,
  cat: CatalogIndex,
  siteFile: string,
): Fix | undefined {
  const row = cat.catalog.resources.find((r) => r.name === fact.resource);
  if (!row || !fact.name) {
    return undefined;
  }
  const mod = site.site.mod;
  const list =
    site.systemResources?.list ??
    (site.resourcesKw?.list && !site.authPolicy ? site.resourcesKw.list : undefined);
  const quote = quoteOf(list?.mod ?? mod, list?.node);
  const item = `${fact.resource}(${row.param}=${quote}${fact.name}${quote})`;
  const edits: TextEdit[] = [];
  const imports = [fact.resource];
  if (list) {
    edits.push(insertIntoList(list, [item]));
  } else if (site.systemResources || site.resourcesKw) {
    return undefined; // declared through a computed list: nothing mechanical to do
  } else if (site.authPolicy?.call && site.authPolicy.call.site.mod === mod) {
    edits.push(
      addKeyword(site.authPolicy.call.site, `system_auth_policy=SystemAuthPolicy(resources=[${item}])`),
    );
    const imp = ensureImport(mod, cat.mlflow.authPolicyModule, ['SystemAuthPolicy'], site.site.node);
    if (imp) {
      edits.push(imp);
    }
  } else if (!site.authPolicy) {
    edits.push(addKeyword(site.site, `resources=[${item}]`));
  } else {
    return undefined;
  }
  const target = list?.mod ?? mod;
  const imp = ensureImport(target, cat.mlflow.resourcesModule, imports, list?.node ?? site.site.node);
  if (imp) {
    edits.push(imp);
  }
  return {
    title: `Declare ${fact.resource}(${row.param}=${q(fact.name)}) in ${siteFile}`,
    edits,
    safe: true,
  };
}
