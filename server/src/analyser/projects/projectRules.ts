// The rules over one project (an agent, its log sites, the modules they reach): findings by file, agent reports, linked files.
import type { CatalogIndex } from '../../catalog/lookup';
import { pushTo } from '../collections';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import { locOf } from '../engine/locations';
import type { Finding } from '../model';
import { agentScope, computePhases, underMainGuard } from '../obo/agents';
import type { LogTargets } from '../obo/logsites';
import { computeNeeds, type AgentNeeds } from '../obo/needs';
import type { AgentReport } from '../../../../shared/reports';
import { scopesOf } from '../rules/compareScopes';
import { createRuleContext, type CheckedAgent, type RuleContext } from '../rules/context';
import { runRules } from '../rules/registry';
import type { ModuleFacts } from './moduleFacts';
import type { AgentLinks } from './partition';

/** The rules' output for one project; kept while its members keep their facts. */
export interface ProjectResult {
  members: ModuleModel[];
  facts: ModuleFacts[];
  byFile: Map<string, Finding[]>;
  reports: Map<ModuleModel, AgentReport>;
  needs: Map<ModuleModel, AgentNeeds>;
  /** Pairs of real files whose findings depend on each other (importer and imported, agent and log site). */
  links: [string, string][];
}

/**
 * The rules over one project: what a run over the whole program gives for these modules (`agents` and `targets`
 * are the whole program's).
 */
export function projectRules(
  members: ModuleModel[],
  facts: ModuleFacts[],
  agents: AgentLinks,
  targets: LogTargets,
  cat: CatalogIndex,
): ProjectResult {
  const allAgentMods = agents.agentMods;
  const events = facts.flatMap((f) => f.events);
  const classes = facts.flatMap((f) => f.agents);
  const logSites = facts.flatMap((f) => f.sites);
  // This project's agents in the program's order (reports follow it).
  const agentMods = new Set(
    members.filter((m) => allAgentMods.has(m)).sort((a, b) => agents.rank(a) - agents.rank(b)),
  );
  const order = new Map(members.map((m, i) => [m, i]));
  /** Events by the module they happen in, in order: an agent's needs read only its own modules' events. */
  const eventsAt = new Map<ModuleModel, Event[]>();
  for (const e of events) {
    pushTo(eventsAt, e.site.mod, e);
  }
  const phases = computePhases(agentMods, classes, cat.catalog.initMethods, cat.catalog.requestMethods);
  const scopeMods = new Set<ModuleModel>();
  const needsByAgent = new Map<ModuleModel, AgentNeeds>();
  for (const m of agentMods) {
    const scope = agentScope(m);
    scope.forEach((s) => scopeMods.add(s));
    needsByAgent.set(
      m,
      computeNeeds(
        scope,
        [...scope]
          .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
          .flatMap((x) => eventsAt.get(x) ?? []),
        cat,
        (e) => e.k !== 'logModel' && (underMainGuard(e.site) || phases.phase(e.fn) === 'script'),
      ),
    );
  }
  const ctx = createRuleContext({
    cat,
    members,
    documents: members.filter((_m, i) => facts[i].project),
    events,
    classes,
    phases,
    scopeMods,
    logSites,
    agents: [...needsByAgent].map(([mod, needs]) => ({ mod, needs, sites: agents.sitesOf(mod) })),
    programAgents: allAgentMods,
    targets,
  });
  runRules(ctx);
  const links: [string, string][] = [];
  for (const m of members) {
    for (const imp of m.imports) {
      links.push([m.unit.origin, imp.unit.origin]);
    }
  }
  const reports = new Map<ModuleModel, AgentReport>();
  for (const agent of ctx.agents) {
    for (const site of agent.sites) {
      links.push([agent.mod.unit.origin, site.site.mod.unit.origin]);
    }
    reports.set(agent.mod, agentReport(ctx, agent));
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of ctx.sink.findings) {
    pushTo(byFile, f.location.file, f);
  }
  return { members, facts, byFile, reports, needs: needsByAgent, links };
}

/** What the agent needs and, for each log site it is checked against, what is declared there and the gaps. */
function agentReport(ctx: RuleContext, agent: CheckedAgent): AgentReport {
  const { mod, needs } = agent;
  const agentClass = ctx.classes.find((a) => a.cls.mod === mod);
  return {
    path: mod.path,
    location: agentClass ? locOf({ mod, node: agentClass.cls.node }) : locOf({ mod, node: mod.root }),
    agentKind: agentClass?.kind,
    className: agentClass?.cls.name,
    needs: needs.needs.map((n) => ({
      scope: n.scope,
      required: n.required,
      confidence: n.confidence,
      because: n.because,
      location: locOf(n.site),
    })),
    resources: needs.resources.map((r) => ({
      resource: r.resource,
      name: r.name,
      because: r.because,
      location: locOf(r.site),
    })),
    logSites: ctx.pairs
      .filter((p) => p.agent === agent)
      .map((pair) => {
        const { site } = pair;
        const cmp = scopesOf(ctx, pair);
        return {
          location: locOf(site.site),
          declaredScopes: site.userScopes?.items
            .filter((i) => i.value !== undefined)
            .map((i) => ({ value: i.value as string, location: locOf(i.site) })),
          scopesList: site.userScopes?.list ? locOf(site.userScopes.list) : undefined,
          declaredResources:
            site.systemResources || site.resourcesKw
              ? [...(site.systemResources?.items ?? []), ...(site.resourcesKw?.items ?? [])].map((r) => ({
                  resource: r.resource,
                  name: r.name,
                  location: locOf(r.site),
                }))
              : undefined,
          missing: cmp.missing,
          unused: cmp.unused,
          unknown: cmp.unknown,
          toAdd: cmp.toAdd,
        };
      }),
    usesUserAuth: needs.usesUserAuth,
  };
}
