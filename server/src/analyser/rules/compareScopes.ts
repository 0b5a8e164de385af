// The api_scopes declared at a log site against one agent's needs: read by OBO100, OBO201 and OBO202, the reports and hover.
import type { CatalogIndex } from '../../catalog/lookup';
import type { LogSite } from '../obo/logsites';
import type { AgentNeeds } from '../obo/needs';
import type { AgentSitePair, RuleContext } from './context';

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

function comparePairs(ctx: RuleContext): Map<AgentSitePair, ScopeComparison> {
  return new Map(ctx.pairs.map((p) => [p, compareScopes(p.site, p.agent.needs, ctx.cat)]));
}

/** The pair's comparison, computed once per project for all pairs. */
export function scopesOf(ctx: RuleContext, pair: AgentSitePair): ScopeComparison {
  return ctx.shared(comparePairs).get(pair) as ScopeComparison;
}

/**
 * Whether the pair's api_scopes can be compared at all: the site declares a UserAuthPolicy and something in its list
 * can be read. When nothing can, OBO100 gives one note instead of a guess at every scope.
 */
export function scopesComparable(ctx: RuleContext, pair: AgentSitePair): boolean {
  const list = pair.site.userScopes;
  return !!list && !(list.partial && !scopesOf(ctx, pair).declared.length);
}
