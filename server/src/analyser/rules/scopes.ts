// OBO201–OBO205: the api_scopes declared at a log site against what the linked agent's code needs.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { Fix, TextEdit } from '../model';
import {
  addKeyword,
  ensureImport,
  insertIntoList,
  quoteOf,
  removeArgument,
  removeListItem,
  replaceNode,
} from '../fixes/edits';
import { locOf } from '../engine/locations';
import type { LogSite } from '../obo/logsites';
import type { AgentNeeds } from '../obo/needs';
import { child, textOf } from '../python/tree';
import { type FindingSink, listText, q } from './context';

/** The comparison of one log site with one agent's needs, reused by reports and hover. */
export interface ScopeComparison {
  declared: string[];
  missing: string[];
  missingConfirmed: string[];
  unused: string[];
  unknown: string[];
  /** Strings to add, in the author's naming family. */
  toAdd: string[];
}

export function compareScopes(site: LogSite, needs: AgentNeeds, cat: CatalogIndex): ScopeComparison {
  const book = cat.scopes;
  const declared = (site.userScopes?.items ?? [])
    .map((i) => i.value)
    .filter((v): v is string => v !== undefined);
  const required = needs.needs.filter((n) => n.required);
  const missing = book.missing(
    declared,
    required.map((n) => n.scope),
  );
  const missingConfirmed = missing.filter((m) =>
    required.some((n) => n.scope === m && n.confidence === 'confirmed'),
  );
  const all = needs.needs.map((n) => n.scope);
  const unknown = declared.filter((d) => !book.isKnown(d));
  const unused = declared.filter((d) => book.isKnown(d) && !all.some((need) => book.satisfies(d, need)));
  return {
    declared,
    missing,
    missingConfirmed,
    unused,
    unknown,
    toAdd: book.spell(missing, book.familyOf(declared)),
  };
}

/** The edit adding `scopes` to the site's api_scopes list, or undefined when the list is not a literal. */
export function addScopesFix(site: LogSite, scopes: string[], file: string, safe = true): Fix | undefined {
  const list = site.userScopes?.list;
  if (!list || !scopes.length) {
    return undefined;
  }
  const quote = quoteOf(list.mod, list.node);
  const items = scopes.map((s) => `${quote}${s}${quote}`);
  return {
    title: `Add ${listText(scopes)} to api_scopes${file ? ` in ${file}` : ''}`,
    edits: [insertIntoList(list, items)],
    // An unconfirmed need is not added by fix-all: the user decides whether to widen the token.
    safe,
  };
}

/** OBO203 and OBO205: checks of a log site on its own, whatever agent it logs. */
export function logSiteRules(sink: FindingSink, site: LogSite, cat: CatalogIndex): void {
  const book = cat.scopes;
  for (const item of site.userScopes?.items ?? []) {
    if (item.value === undefined) {
      sink.add(
        'OBO100',
        item.site,
        'This api_scopes entry cannot be resolved statically, so it is not checked.',
      );
      continue;
    }
    if (book.isKnown(item.value)) {
      continue;
    }
    const rejected = book.rejected(item.value);
    const suggestion = book.nearest(item.value);
    const quote = quoteOf(item.site.mod, item.site.node.parent ?? undefined);
    const fixes: Fix[] = suggestion
      ? [
          {
            title: `Replace with ${q(suggestion)}`,
            edits: [replaceNode(item.site, `${quote}${suggestion}${quote}`)],
            safe: true,
          },
        ]
      : [];
    const why = rejected
      ? `${q(item.value)} ${rejected.reason}`
      : `${q(item.value)} is not a Model Serving API scope`;
    sink.add(
      'OBO203',
      item.site,
      `${why}: deployment fails with "Invalid user API scope(s)".${suggestion ? ` Did you mean ${q(suggestion)}?` : ''}`,
      { fixes, details: { scope: item.value, suggestion } },
    );
  }
  if (site.authPolicy && site.resourcesKw && !site.exclusive) {
    sink.add(
      'OBO205',
      site.resourcesKw.at,
      'log_model gets both resources= and auth_policy=: MLflow raises "Only one of `resources`, and `auth_policy` ' +
        'can be specified." Move the resources into SystemAuthPolicy(resources=...).',
      { fixes: moveResourcesFix(site, cat) },
    );
  }
}

function moveResourcesFix(site: LogSite, cat: CatalogIndex): Fix[] | undefined {
  const call = site.authPolicy?.call;
  const res = site.resourcesKw;
  if (!call || !res || res.fromDict) {
    return undefined;
  }
  const mod = site.site.mod;
  const value = child(res.at.node, 'value');
  if (!value || call.site.mod !== mod) {
    return undefined;
  }
  const edits: TextEdit[] = [];
  if (site.systemResources) {
    const list = site.systemResources.list;
    const resList = value.type === 'list' ? value : undefined;
    if (!list || !resList) {
      return undefined;
    }
    const items = resList.children.map((c) => textOf(mod.src, c));
    if (items.length) {
      edits.push(insertIntoList(list, items));
    }
  } else {
    edits.push(
      addKeyword(call.site, `system_auth_policy=SystemAuthPolicy(resources=${textOf(mod.src, value)})`),
    );
    const imp = ensureImport(mod, cat.mlflow.authPolicyModule, ['SystemAuthPolicy'], site.site.node);
    if (imp) {
      edits.push(imp);
    }
  }
  edits.push(removeArgument(site.site, res.at.node));
  return [{ title: 'Move resources into SystemAuthPolicy(resources=...)', edits, safe: true }];
}

/** OBO201, OBO202 and OBO204 for one (agent, log site) pair. */
export function agentScopeRules(
  sink: FindingSink,
  site: LogSite,
  agentPath: string,
  needs: AgentNeeds,
  cat: CatalogIndex,
): ScopeComparison {
  const cmp = compareScopes(site, needs, cat);
  const siteFile = path.basename(site.site.mod.unit.origin);
  const agentFile = path.basename(agentPath);
  if (!site.userScopes) {
    if (needs.usesUserAuth) {
      obo204(sink, site, needs, cat, agentFile);
    }
    return cmp;
  }
  const list = site.userScopes;
  const anchor = list.list ?? { mod: list.policy.site.mod, node: list.policy.site.node };
  if (list.partial && !cmp.declared.length) {
    // Nothing in the list can be read: one note where it is given, not a guess at every scope the agent needs (a
    // literal's unreadable entries already have theirs, from logSiteRules).
    const needed = [...new Set(needs.needs.filter((n) => n.required).map((n) => n.scope))];
    if (list.items.length) {
      return cmp;
    }
    sink.add(
      'OBO100',
      list.at ?? anchor,
      `The api_scopes given here cannot be resolved statically, so the scopes ${agentFile} needs` +
        (needed.length ? ` (${listText(cat.scopes.spell(needed, 'documented'))})` : '') +
        ' cannot be checked against them.',
      { details: { needed } },
    );
    return cmp;
  }
  if (cmp.missing.length) {
    const family = cat.scopes.familyOf(cmp.declared);
    // Unconfirmed needs are reported apart, as a warning with an unsafe fix: they never ride on an error.
    const confirmedToAdd = cat.scopes.spell(cmp.missingConfirmed, family);
    const unconfirmed = cmp.missing.filter((m) => !cmp.missingConfirmed.includes(m));
    const groups = [
      { missing: cmp.missingConfirmed, toAdd: confirmedToAdd, confirmed: true },
      {
        missing: unconfirmed,
        toAdd: cat.scopes.spell(unconfirmed, family).filter((s) => !confirmedToAdd.includes(s)),
        confirmed: false,
      },
    ];
    for (const g of groups) {
      if (!g.toAdd.length) {
        continue;
      }
      const reasons = g.missing.map((m) => {
        const n = needs.needs.find((x) => x.scope === m && x.required);
        return n ? { location: locOf(n.site), message: `${q(m)} is needed by ${n.because}` } : undefined;
      });
      const fix = addScopesFix(site, g.toAdd, '', g.confirmed);
      sink.add(
        'OBO201',
        anchor,
        (g.confirmed
          ? `api_scopes lacks ${listText(g.toAdd)}, which ${agentFile} needs: calls made on behalf of the user will ` +
            `fail with a missing-scope error.`
          : `api_scopes lacks ${listText(g.toAdd)}, which ${agentFile} may need (not confirmed by Databricks ` +
            `sources): calls made on behalf of the user may fail with a missing-scope error.`) +
          (list.partial ? ' (Some entries could not be resolved.)' : ''),
        {
          severity: g.confirmed && !list.partial ? 'error' : 'warning',
          related: reasons.filter((r): r is NonNullable<typeof r> => !!r),
          fixes: fix ? [fix] : undefined,
          details: { missing: g.missing, toAdd: g.toAdd, agentFile: agentPath },
        },
      );
    }
    // The same finding where the code needs it, so the agent file shows it too.
    type Entry = {
      site: (typeof needs.needs)[number]['site'];
      scopes: string[];
      because: string;
      confirmed: boolean;
    };
    const byConstruct = new Map<string, Entry>();
    for (const n of needs.needs) {
      if (!n.required || !cmp.missing.includes(n.scope)) {
        continue;
      }
      const key = `${n.site.mod.path}:${n.site.node.start}`;
      const entry = byConstruct.get(key) ?? {
        site: n.site,
        scopes: [],
        because: n.because,
        confirmed: false,
      };
      if (!entry.scopes.includes(n.scope)) {
        entry.scopes.push(n.scope);
      }
      entry.confirmed ||= n.confidence === 'confirmed';
      byConstruct.set(key, entry);
    }
    for (const entry of byConstruct.values()) {
      const spelled = cat.scopes.spell(entry.scopes, family);
      const f = addScopesFix(site, spelled, siteFile, entry.confirmed);
      sink.add(
        'OBO201',
        entry.site,
        entry.confirmed
          ? `${entry.because} needs ${listText(spelled)}, which the api_scopes in ${siteFile} do not declare: ` +
              `the call fails on behalf of the user.`
          : `${entry.because} may need ${listText(spelled)} (not confirmed by Databricks sources), which the ` +
              `api_scopes in ${siteFile} do not declare.`,
        {
          severity: entry.confirmed && !list.partial ? 'error' : 'warning',
          related: [{ location: locOf(anchor), message: `api_scopes declared here` }],
          fixes: f ? [f] : undefined,
          details: { missing: entry.scopes, toAdd: spelled, logSite: site.site.mod.unit.origin },
        },
      );
    }
  }
  const uncertain = needs.opaque.length > 0 || needs.notes.length > 0;
  for (const item of list.items) {
    if (item.value === undefined || !cmp.unused.includes(item.value)) {
      continue;
    }
    const listNode = list.list?.node;
    const fix: Fix | undefined =
      listNode && item.site.node.parent === listNode
        ? {
            title: `Remove ${q(item.value)}`,
            edits: [removeListItem(list.list!, item.site.node)],
            safe: false,
          }
        : undefined;
    sink.add(
      'OBO202',
      item.site,
      `${q(item.value)} is declared but nothing in ${agentFile} uses it: every extra scope widens what the ` +
        `user's token can do (least privilege).${uncertain ? ' Some calls could not be analysed, so this may be in use.' : ''}`,
      {
        severity: uncertain ? 'information' : undefined,
        fixes: fix ? [fix] : undefined,
        unnecessary: true,
        details: { scope: item.value },
      },
    );
  }
  return cmp;
}

function obo204(
  sink: FindingSink,
  site: LogSite,
  needs: AgentNeeds,
  cat: CatalogIndex,
  agentFile: string,
): void {
  const required = needs.needs.filter((n) => n.required).map((n) => n.scope);
  const scopes = cat.scopes.spell([...new Set(required)], 'documented');
  const mod = site.site.mod;
  const quote = quoteOf(mod, undefined);
  const scopeText = `[${scopes.map((s) => `${quote}${s}${quote}`).join(', ')}]`;
  const user = `UserAuthPolicy(api_scopes=${scopeText})`;
  const edits: TextEdit[] = [];
  const names = ['UserAuthPolicy'];
  const call = site.authPolicy?.call;
  let anchor = site.site;
  if (site.authPolicy && call) {
    anchor = call.site;
    if (call.site.mod !== mod) {
      return void sink.add('OBO204', anchor, message(agentFile));
    }
    edits.push(addKeyword(call.site, `user_auth_policy=${user}`));
  } else if (!site.authPolicy && !site.resourcesKw?.fromDict) {
    names.unshift('AuthPolicy');
    const resValue = site.resourcesKw ? child(site.resourcesKw.at.node, 'value') : undefined;
    if (site.resourcesKw && resValue) {
      names.push('SystemAuthPolicy');
      edits.push(
        addKeyword(
          site.site,
          `auth_policy=AuthPolicy(\n    system_auth_policy=SystemAuthPolicy(resources=${textOf(mod.src, resValue)}),\n    user_auth_policy=${user},\n)`,
        ),
      );
      edits.push(removeArgument(site.site, site.resourcesKw.at.node));
    } else {
      edits.push(addKeyword(site.site, `auth_policy=AuthPolicy(user_auth_policy=${user})`));
    }
  } else {
    return void sink.add('OBO204', anchor, message(agentFile));
  }
  const imp = ensureImport(mod, cat.mlflow.authPolicyModule, names, site.site.node);
  if (imp) {
    edits.push(imp);
  }
  sink.add('OBO204', anchor, message(agentFile), {
    fixes: [{ title: `Add auth_policy with UserAuthPolicy(api_scopes=${scopeText})`, edits, safe: true }],
    details: { toAdd: scopes, agentFile },
  });
}

function message(agentFile: string): string {
  return (
    `${agentFile} acts on behalf of the user, but this log_model has no UserAuthPolicy: in Model Serving the agent ` +
    `gets no user token ("Unable to read end user token"). Declare auth_policy=AuthPolicy(user_auth_policy=` +
    `UserAuthPolicy(api_scopes=[...])).`
  );
}
