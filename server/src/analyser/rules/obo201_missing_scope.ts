// OBO201: a scope the agent's code needs is missing from the api_scopes of a log site (docs/rules/OBO201.md).
import * as path from 'path';
import type { Fix } from '../model';
import { insertIntoList, quoteOf } from '../fixes/edits';
import { locOf } from '../engine/locations';
import type { LogSite } from '../obo/logsites';
import type { AgentSitePair, RuleContext } from './context';
import { scopesComparable, scopesOf } from './compareScopes';
import { defineRule } from './rule';
import { listText, q } from './text';

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

export const obo201 = defineRule('OBO201', (ctx) => {
  for (const pair of ctx.pairs) {
    if (scopesComparable(ctx, pair) && scopesOf(ctx, pair).missing.length) {
      missingScopes(ctx, pair);
    }
  }
});

/** One finding at the list per confidence, and the same at each construct that needs a missing scope. */
function missingScopes(ctx: RuleContext, pair: AgentSitePair): void {
  const { cat, sink } = ctx;
  const { agent, site } = pair;
  const cmp = scopesOf(ctx, pair);
  const needs = agent.needs;
  const list = site.userScopes!;
  const anchor = list.list ?? { mod: list.policy.site.mod, node: list.policy.site.node };
  const siteFile = path.basename(site.site.mod.unit.origin);
  const agentFile = path.basename(agent.mod.path);
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
        details: { missing: g.missing, toAdd: g.toAdd, agentFile: agent.mod.path },
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
