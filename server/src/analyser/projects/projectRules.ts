// The rules over one project (an agent, its log sites, the modules they reach): findings by file, agent reports, linked files.
import * as path from 'path';
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
import { importRules, keywordRules } from '../rules/api';
import { FindingSink } from '../rules/context';
import { lifecycleRules } from '../rules/lifecycle';
import { resourceRules } from '../rules/resources';
import { agentScopeRules, logSiteRules } from '../rules/scopes';
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
  const sink = new FindingSink();
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
  lifecycleRules(sink, events, phases, classes, scopeMods, cat.catalog.requestMethods);
  keywordRules(sink, events);
  members.forEach((m, i) => facts[i].project && importRules(sink, m, cat));
  const links: [string, string][] = [];
  for (const m of members) {
    for (const imp of m.imports) {
      links.push([m.unit.origin, imp.unit.origin]);
    }
  }
  for (const site of logSites) {
    logSiteRules(sink, site, cat);
  }
  const reports = new Map<ModuleModel, AgentReport>();
  for (const [agentMod, needs] of needsByAgent) {
    for (const n of needs.notes) {
      sink.add('OBO100', n.site, n.message);
    }
    const agentClass = classes.find((a) => a.cls.mod === agentMod);
    const report: AgentReport = {
      path: agentMod.path,
      location: agentClass
        ? locOf({ mod: agentMod, node: agentClass.cls.node })
        : locOf({ mod: agentMod, node: agentMod.root }),
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
      logSites: [],
      usesUserAuth: needs.usesUserAuth,
    };
    for (const site of agents.sitesOf(agentMod)) {
      links.push([agentMod.unit.origin, site.site.mod.unit.origin]);
      const cmp = agentScopeRules(sink, site, agentMod.path, needs, cat);
      resourceRules(sink, site, needs, cat);
      report.logSites.push({
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
      });
    }
    reports.set(agentMod, report);
  }
  for (const site of logSites) {
    if (!site.target) {
      const kw = cat.logModelArg(site.event.name).keyword ?? cat.mlflow.defaultModelKeyword;
      sink.add(
        'OBO100',
        site.site,
        `The ${kw}= of this log_model cannot be resolved statically: its scopes are not checked against an agent file.`,
      );
    } else if (![...targets.of(site).exact, ...targets.of(site).likely].some((m) => allAgentMods.has(m))) {
      const name = site.target.path ? path.basename(site.target.path) : 'the agent file';
      sink.add(
        'OBO100',
        site.site,
        `${name} is not open or not found in the workspace: its scopes cannot be checked.`,
      );
    }
  }
  for (const m of members) {
    if (m.truncated) {
      sink.add(
        'OBO100',
        { mod: m, node: m.root },
        `Analysis of ${path.basename(m.path)} stopped after its time budget: results for it are incomplete.`,
      );
    }
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of sink.findings) {
    pushTo(byFile, f.location.file, f);
  }
  return { members, facts, byFile, reports, needs: needsByAgent, links };
}
