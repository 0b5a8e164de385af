// Splits the program into projects: modules whose findings can depend on each other (references, log sites, the agents they check).
import * as path from 'path';
import type { ModuleModel } from '../engine/program';
import type { LogSite, LogTargets } from '../obo/logsites';
import type { ModuleFacts } from './moduleFacts';

/** Modules that are agents, in the order of a run over the whole program, and the sites each is checked against. */
export interface AgentLinks {
  agentMods: Set<ModuleModel>;
  sitesOf(agentMod: ModuleModel): LogSite[];
  /** The position of an agent module in `agentMods`. */
  rank(agentMod: ModuleModel): number;
}

/** The agents of the program: modules with an agent class, then set_model callers, then modules logged exactly. */
export function agentLinks(
  modules: readonly ModuleModel[],
  facts: readonly ModuleFacts[],
  targets: LogTargets,
): AgentLinks {
  const agentMods = new Set<ModuleModel>();
  for (const f of facts) {
    f.agents.forEach((a) => agentMods.add(a.cls.mod));
  }
  modules.forEach((m, i) => facts[i].setsModel && agentMods.add(m));
  for (const f of facts) {
    for (const site of f.sites) {
      targets.of(site).exact.forEach((m) => agentMods.add(m));
    }
  }
  const linked = new Map<ModuleModel, LogSite[]>();
  let ranks: Map<ModuleModel, number> | undefined;
  return {
    agentMods,
    rank(agentMod) {
      ranks ??= new Map([...agentMods].map((m, i) => [m, i]));
      return ranks.get(agentMod) ?? -1;
    },
    sitesOf(agentMod) {
      let sites = linked.get(agentMod);
      if (!sites) {
        sites = linkedSites(agentMod, agentMods, targets);
        linked.set(agentMod, sites);
      }
      return sites;
    },
  };
}

/**
 * The projects of the program, each in program order. Modules are joined by the references made while
 * interpreting (imports, logged agents), a log site with the modules it names exactly, with the modules it names by
 * file name only when none it names exactly is an agent (whether it is resolved depends on them), and an agent with
 * the sites its scopes are checked against. Which sites those are can change with another module's standing (a site
 * naming another agent exactly is not taken by name); such a change moves a member in or out, so the project runs
 * again.
 */
export function projectsOf(
  modules: readonly ModuleModel[],
  facts: readonly ModuleFacts[],
  targets: LogTargets,
  agents: AgentLinks,
): ModuleModel[][] {
  const index = new Map<ModuleModel, number>(modules.map((m, i) => [m, i]));
  const parent = modules.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const join = (a: ModuleModel, b: ModuleModel) => {
    const i = index.get(a);
    const j = index.get(b);
    if (i !== undefined && j !== undefined) {
      parent[find(i)] = find(j);
    }
  };
  modules.forEach((m, i) => {
    for (const n of facts[i].neighbours) {
      join(m, n);
    }
    for (const site of facts[i].sites) {
      const { exact, likely } = targets.of(site);
      exact.forEach((t) => join(site.site.mod, t));
      if (!exact.some((t) => agents.agentMods.has(t))) {
        likely.forEach((t) => join(site.site.mod, t));
      }
    }
  });
  for (const agentMod of agents.agentMods) {
    agents.sitesOf(agentMod).forEach((s) => join(agentMod, s.site.mod));
  }
  const groups = new Map<number, ModuleModel[]>();
  modules.forEach((m, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) {
      g.push(m);
    } else {
      groups.set(r, [m]);
    }
  });
  return [...groups.values()];
}

/**
 * The log sites of an agent module: those naming its exact path; else those whose file name matches (a partly
 * unknown path), leaving out sites that name another agent exactly and preferring sites in the agent's folder, so
 * two projects with an `agent.py` each do not check each other's scopes.
 */
function linkedSites(agentMod: ModuleModel, agentMods: Set<ModuleModel>, targets: LogTargets): LogSite[] {
  const exact = targets.sitesLogging(agentMod, 'exact');
  if (exact.length) {
    return exact;
  }
  const likely = targets
    .sitesLogging(agentMod, 'likely')
    .filter((s) => !targets.of(s).exact.some((m) => m !== agentMod && agentMods.has(m)));
  const sameFolder = likely.filter((s) => path.dirname(s.site.mod.path) === path.dirname(agentMod.path));
  return sameFolder.length ? sameFolder : likely;
}
