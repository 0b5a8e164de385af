// What the rules read of one project (agents, phases, needs, log sites, members, catalog), and the values several rules share.
import type { CatalogIndex } from '../../catalog/lookup';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import type { AgentClass, PhaseMap } from '../obo/agents';
import type { LogSite, LogTargets } from '../obo/logsites';
import type { AgentNeeds } from '../obo/needs';
import { FindingSink } from './sink';

/** One of the project's agents: what its code needs and the log sites it is checked against. */
export interface CheckedAgent {
  mod: ModuleModel;
  needs: AgentNeeds;
  sites: readonly LogSite[];
}

/** One (agent, log site) pair: the scope and resource rules compare the site's declarations with the agent's needs. */
export interface AgentSitePair {
  agent: CheckedAgent;
  site: LogSite;
}

export interface ProjectFacts {
  cat: CatalogIndex;
  /** The project's modules, in program order. */
  members: readonly ModuleModel[];
  /** The members that are open or indexed documents (their imports are checked), in program order. */
  documents: readonly ModuleModel[];
  /** The members' events, module by module. */
  events: readonly Event[];
  /** The agent classes defined in the members. */
  classes: AgentClass[];
  phases: PhaseMap;
  /** The modules some agent of the project reaches (where a stored user client is one that agent keeps). */
  scopeMods: ReadonlySet<ModuleModel>;
  /** The members' log sites, module by module. */
  logSites: readonly LogSite[];
  /** The project's agents, in the program's order. */
  agents: readonly CheckedAgent[];
  /** The agent modules of the whole program: a log site naming one of them is resolved. */
  programAgents: ReadonlySet<ModuleModel>;
  /** What each log site names, in the whole program. */
  targets: LogTargets;
}

export interface RuleContext extends ProjectFacts {
  sink: FindingSink;
  /** Every (agent, log site) pair, agent by agent in `agents` order, sites in each agent's order. */
  pairs: readonly AgentSitePair[];
  /**
   * A value several rules (or the reports) read, computed once per context on first use: `derive` is its key, so
   * pass a module-level function.
   */
  shared<T>(derive: (ctx: RuleContext) => T): T;
}

export function createRuleContext(facts: ProjectFacts): RuleContext {
  const values = new Map<(ctx: RuleContext) => unknown, unknown>();
  const ctx: RuleContext = {
    ...facts,
    sink: new FindingSink(),
    pairs: facts.agents.flatMap((agent) => agent.sites.map((site) => ({ agent, site }))),
    shared<T>(derive: (c: RuleContext) => T): T {
      if (!values.has(derive)) {
        values.set(derive, derive(ctx));
      }
      return values.get(derive) as T;
    },
  };
  return ctx;
}
