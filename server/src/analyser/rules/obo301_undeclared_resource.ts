// OBO301: a resource the agent uses with system auth (no user client) that the log site does not declare (docs/rules/OBO301.md).
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { Fix, TextEdit } from '../model';
import { addKeyword, ensureImport, insertIntoList, quoteOf } from '../fixes/edits';
import type { LogSite } from '../obo/logsites';
import type { ResourceFact } from '../obo/needs';
import { resourceGapOf } from './resourceGaps';
import { defineRule } from './rule';
import { q } from './text';

export const obo301 = defineRule('OBO301', (ctx) => {
  for (const pair of ctx.pairs) {
    const { site } = pair;
    const gap = resourceGapOf(ctx, pair);
    if (gap.partial) {
      continue; // a computed list: OBO100 gives one note where it is declared, not a guess per resource
    }
    for (const fact of gap.missing) {
      const siteFile = path.basename(site.site.mod.unit.origin);
      const fix = fact.name ? addResourceFix(site, fact, ctx.cat, siteFile) : undefined;
      const label = fact.name ? `${fact.resource}(${q(fact.name)})` : fact.resource;
      ctx.sink.add(
        'OBO301',
        fact.site,
        `${fact.because} runs with the agent's own (system) credentials, but ${label} is not declared in the ` +
          `resources logged in ${siteFile}: Model Serving will not grant access to it.`,
        {
          fixes: fix ? [fix] : undefined,
          details: { resource: fact.resource, name: fact.name, logSite: site.site.mod.unit.origin },
        },
      );
    }
  }
});

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
