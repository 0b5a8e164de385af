// The resources an agent uses with system auth that a log site does not declare: read by OBO301, and by OBO100 when the declared list cannot be read.
import type { LogSite, ResourceItem } from '../obo/logsites';
import type { ResourceFact } from '../obo/needs';
import type { AgentSitePair, RuleContext } from './context';

export interface ResourceGap {
  /** Some declared resources could not be read (a computed list). */
  partial: boolean;
  /** The agent's system-auth resources the site does not declare, in the agent's order. */
  missing: ResourceFact[];
}

export function isDeclared(fact: ResourceFact, declared: ResourceItem[]): boolean {
  return declared.some(
    (d) => d.resource === fact.resource && (!fact.name || !d.name || d.name === fact.name),
  );
}

function gapOf(site: LogSite, resources: ResourceFact[]): ResourceGap {
  const declared = [...(site.systemResources?.items ?? []), ...(site.resourcesKw?.items ?? [])];
  return {
    partial: !!(site.systemResources?.partial || site.resourcesKw?.partial),
    missing: resources.filter((fact) => !isDeclared(fact, declared)),
  };
}

function gapsOfPairs(ctx: RuleContext): Map<AgentSitePair, ResourceGap> {
  return new Map(ctx.pairs.map((p) => [p, gapOf(p.site, p.agent.needs.resources)]));
}

/** The pair's gap, computed once per project for all pairs. */
export function resourceGapOf(ctx: RuleContext, pair: AgentSitePair): ResourceGap {
  return ctx.shared(gapsOfPairs).get(pair) as ResourceGap;
}
