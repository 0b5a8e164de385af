// The rules after interpretation, per project (connected modules: an agent, its log sites, what they import), each kept while its modules and events stay the same.
import * as path from 'path';
import type { CatalogIndex } from '../catalog/lookup';
import type { Event } from './engine/events';
import type { ModuleModel } from './engine/program';
import { locOf } from './fixes/edits';
import type { Finding, Location } from './model';
import { agentScope, computePhases, findAgentClasses, underMainGuard, type AgentClass } from './obo/agents';
import { LogTargets, type LogSite } from './obo/logsites';
import { computeNeeds, type AgentNeeds } from './obo/needs';
import type { AgentReport } from './reports';
import { importRules, keywordRules } from './rules/api';
import { FindingSink } from './rules/context';
import { lifecycleRules } from './rules/lifecycle';
import { resourceRules } from './rules/resources';
import { agentScopeRules, logSiteRules } from './rules/scopes';

/** Everything one analysis run produced; kept until the next change. */
export interface AnalysisResult {
  findings: Map<string, Finding[]>;
  reports: AgentReport[];
  /** Real file → files linked to it (agent ↔ log sites, importer ↔ imported). */
  links: Map<string, Set<string>>;
  modules: ModuleModel[];
  events: Event[];
  logSites: LogSite[];
  agents: AgentClass[];
  needsByAgent: Map<ModuleModel, AgentNeeds>;
  cat: CatalogIndex;
}

/** What the rules read from the interpretation and the documents. */
export interface PipelineInput {
  /** The interpreted modules, in project order. */
  modules: ModuleModel[];
  /** A module's events, in order; the same array while the module is not interpreted again. */
  eventsOf: (m: ModuleModel) => readonly Event[];
  /** Modules each module reached while interpreted (imports, logged agents). */
  linksOf: (m: ModuleModel) => Iterable<ModuleModel>;
  /** A module of an open or indexed document (its imports are checked), not a file only read from disk. */
  isProjectModule: (m: ModuleModel) => boolean;
  /** The log site an event stands for (the same object for the same event). */
  logSiteOf: (e: Extract<Event, { k: 'logModel' }>) => LogSite;
  /** Documents in project order with what made them unanalysable; a new array when the document changed. */
  docs: { path: string; problems: readonly { message: string; line?: number }[] }[];
}

/** What the rules need to know of one module; a new object whenever its text, events or standing change. */
interface ModuleFacts {
  unit: ModuleModel['unit'];
  events: readonly Event[];
  project: boolean;
  agents: AgentClass[];
  setsModel: boolean;
  sites: LogSite[];
}

/** The rules' output for one project; reused while its members keep their facts. */
interface GroupResult {
  members: ModuleModel[];
  facts: ModuleFacts[];
  byFile: Map<string, Finding[]>;
  reports: Map<ModuleModel, AgentReport>;
  needs: Map<ModuleModel, AgentNeeds>;
  /** Pairs of real files whose findings depend on each other. */
  links: [string, string][];
}

export class RulePipeline {
  private readonly facts = new WeakMap<ModuleModel, ModuleFacts>();
  /** Results by their first member. */
  private groups = new Map<ModuleModel, GroupResult>();
  private targets: { modules: ModuleModel[]; sites: LogSite[]; index: LogTargets } | undefined;
  private last: { findings: Map<string, Finding[]>; problems: Map<string, readonly unknown[]> } | undefined;

  constructor(private readonly cat: CatalogIndex) {}

  run(input: PipelineInput): AnalysisResult {
    const { modules } = input;
    const facts = modules.map((m) => this.factsOf(m, input));
    const agents = facts.flatMap((f) => f.agents);
    const logSites = facts.flatMap((f) => f.sites);
    const targets = this.targetsFor(modules, logSites);
    // The same order as over the whole program: agent classes' modules, set_model callers, then logged modules.
    const agentMods = new Set<ModuleModel>(agents.map((a) => a.cls.mod));
    modules.forEach((m, i) => facts[i].setsModel && agentMods.add(m));
    for (const site of logSites) {
      for (const m of targets.of(site).exact) {
        agentMods.add(m);
      }
    }
    const sitesOf = new Map([...agentMods].map((m) => [m, linkedSites(m, agentMods, targets)]));
    const next = new Map<ModuleModel, GroupResult>();
    const touched = new Set<string>();
    for (const members of projectsOf(modules, input, logSites, targets, agentMods, sitesOf)) {
      const memberFacts = members.map((m) => this.factsOf(m, input));
      const was = this.groups.get(members[0]);
      let result =
        was &&
        was.members.length === members.length &&
        was.members.every((m, i) => m === members[i] && was.facts[i] === memberFacts[i])
          ? was
          : undefined;
      if (!result) {
        result = this.runGroup(members, memberFacts, agentMods, targets, sitesOf);
        result.byFile.forEach((_, file) => touched.add(file));
      }
      next.set(members[0], result);
    }
    for (const was of this.groups.values()) {
      if (next.get(was.members[0]) !== was) {
        was.byFile.forEach((_, file) => touched.add(file));
      }
    }
    this.groups = next;
    const results = [...next.values()];
    const reports: AgentReport[] = [];
    const needsByAgent = new Map<ModuleModel, AgentNeeds>();
    const byAgent = new Map<ModuleModel, GroupResult>();
    results.forEach((r) => r.reports.forEach((_, m) => byAgent.set(m, r)));
    for (const m of agentMods) {
      const r = byAgent.get(m);
      if (r) {
        reports.push(r.reports.get(m) as AgentReport);
        needsByAgent.set(m, r.needs.get(m) as AgentNeeds);
      }
    }
    const links = new Map<string, Set<string>>();
    for (const r of results) {
      for (const [a, b] of r.links) {
        addLink(links, a, b);
        addLink(links, b, a);
      }
    }
    let events: Event[] | undefined;
    return {
      findings: this.collect(input.docs, results, touched),
      reports,
      links,
      modules,
      // Every event of the program, for hover and tools: built when first read, not on every keystroke.
      get events() {
        events ??= modules.flatMap((m) => input.eventsOf(m));
        return events;
      },
      logSites,
      agents,
      needsByAgent,
      cat: this.cat,
    };
  }

  private factsOf(m: ModuleModel, input: PipelineInput): ModuleFacts {
    const events = input.eventsOf(m);
    const project = input.isProjectModule(m);
    const was = this.facts.get(m);
    if (was && was.unit === m.unit && was.events === events && was.project === project) {
      return was;
    }
    const f: ModuleFacts = {
      unit: m.unit,
      events,
      project,
      agents: findAgentClasses([m], this.cat),
      setsModel: events.some((e) => e.k === 'setModel'),
      sites: events
        .filter((e): e is Extract<Event, { k: 'logModel' }> => e.k === 'logModel')
        .map((e) => input.logSiteOf(e)),
    };
    this.facts.set(m, f);
    return f;
  }

  /** The log-target index, rebuilt only when the modules or the log sites are not the same as last time. */
  private targetsFor(modules: ModuleModel[], sites: LogSite[]): LogTargets {
    const t = this.targets;
    if (t && sameItems(t.modules, modules) && sameItems(t.sites, sites)) {
      return t.index;
    }
    const index = new LogTargets(modules, sites, t?.index);
    this.targets = { modules, sites, index };
    return index;
  }

  /** The rules over one project: what a run over the whole program gives for these modules. */
  private runGroup(
    members: ModuleModel[],
    facts: ModuleFacts[],
    allAgentMods: Set<ModuleModel>,
    targets: LogTargets,
    sitesOf: Map<ModuleModel, LogSite[]>,
  ): GroupResult {
    const cat = this.cat;
    const sink = new FindingSink();
    const inGroup = new Set(members);
    const events = facts.flatMap((f) => f.events);
    const agents = facts.flatMap((f) => f.agents);
    const logSites = facts.flatMap((f) => f.sites);
    const agentMods = new Set([...allAgentMods].filter((m) => inGroup.has(m)));
    const order = new Map(members.map((m, i) => [m, i]));
    /** Events by the module they happen in, in order: an agent's needs read only its own modules' events. */
    const eventsAt = new Map<ModuleModel, Event[]>();
    for (const e of events) {
      let list = eventsAt.get(e.site.mod);
      if (!list) {
        list = [];
        eventsAt.set(e.site.mod, list);
      }
      list.push(e);
    }
    const phases = computePhases(agentMods, agents, cat.catalog.initMethods, cat.catalog.requestMethods);
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
    lifecycleRules(sink, events, phases, agents, scopeMods, cat.catalog.requestMethods);
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
      const agentClass = agents.find((a) => a.cls.mod === agentMod);
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
      for (const site of sitesOf.get(agentMod) ?? []) {
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
        const kw = cat.logModelArg(site.event.name).keyword ?? 'python_model';
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
      let list = byFile.get(f.location.file);
      if (!list) {
        list = [];
        byFile.set(f.location.file, list);
      }
      list.push(f);
    }
    return { members, facts, byFile, reports, needs: needsByAgent, links };
  }

  /**
   * Findings per file: documents first (each with its own problems), then files only read from disk. A file no
   * recomputed project touched keeps its list (the same array), so callers can tell it did not change.
   */
  private collect(
    docs: PipelineInput['docs'],
    results: GroupResult[],
    touched: Set<string>,
  ): Map<string, Finding[]> {
    const last = this.last;
    const problems = new Map(docs.map((d) => [d.path, d.problems as readonly unknown[]]));
    const byFile = new Map<string, Finding[][]>();
    for (const r of results) {
      r.byFile.forEach((list, file) => {
        let lists = byFile.get(file);
        if (!lists) {
          lists = [];
          byFile.set(file, lists);
        }
        lists.push(list);
      });
    }
    const findings = new Map<string, Finding[]>();
    const fill = (file: string, own: PipelineInput['docs'][number]['problems']) => {
      const kept = last?.findings.get(file);
      if (kept && !touched.has(file) && last?.problems.get(file) === (problems.get(file) ?? NO_PROBLEMS)) {
        findings.set(file, kept);
        return;
      }
      const list = own.map((p) => problemFinding(file, p));
      for (const l of byFile.get(file) ?? []) {
        list.push(...l);
      }
      findings.set(file, list.sort(compareFindings));
    };
    for (const d of docs) {
      fill(d.path, d.problems);
    }
    for (const file of byFile.keys()) {
      if (!findings.has(file)) {
        fill(file, []);
      }
    }
    for (const file of findings.keys()) {
      if (!problems.has(file)) {
        problems.set(file, NO_PROBLEMS);
      }
    }
    this.last = { findings, problems };
    return findings;
  }
}

const NO_PROBLEMS: readonly unknown[] = [];

/**
 * The projects of the program: modules connected by what the rules look across, each in project order. Those are
 * the references made while interpreting (imports, logged agents), a log site and the modules it names exactly,
 * the modules it names by file name only when none it names exactly is an agent, and an agent and the sites its
 * scopes are checked against. Which sites those are can change with another module's standing (a site naming
 * another agent exactly is not taken by name); such a change moves a member in or out, so the project runs again.
 */
function projectsOf(
  modules: ModuleModel[],
  input: PipelineInput,
  sites: LogSite[],
  targets: LogTargets,
  agentMods: Set<ModuleModel>,
  sitesOf: Map<ModuleModel, LogSite[]>,
): ModuleModel[][] {
  const parent = new Map<ModuleModel, ModuleModel>(modules.map((m) => [m, m]));
  const find = (m: ModuleModel): ModuleModel => {
    let r = m;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) {
      r = p;
    }
    parent.set(m, r);
    return r;
  };
  const join = (a: ModuleModel, b: ModuleModel) => {
    if (parent.has(a) && parent.has(b)) {
      parent.set(find(a), find(b));
    }
  };
  for (const m of modules) {
    m.imports.forEach((i) => join(m, i));
    for (const t of input.linksOf(m)) {
      join(m, t);
    }
  }
  for (const site of sites) {
    const { exact, likely } = targets.of(site);
    exact.forEach((m) => join(site.site.mod, m));
    if (!exact.some((m) => agentMods.has(m))) {
      // Whether this site is resolved depends on the modules it may name being agents.
      likely.forEach((m) => join(site.site.mod, m));
    }
  }
  for (const [agentMod, linked] of sitesOf) {
    linked.forEach((s) => join(agentMod, s.site.mod));
  }
  const groups = new Map<ModuleModel, ModuleModel[]>();
  for (const m of modules) {
    const r = find(m);
    let g = groups.get(r);
    if (!g) {
      g = [];
      groups.set(r, g);
    }
    g.push(m);
  }
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

function addLink(links: Map<string, Set<string>>, a: string, b: string): void {
  if (a === b) {
    return;
  }
  let s = links.get(a);
  if (!s) {
    s = new Set();
    links.set(a, s);
  }
  s.add(b);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function problemFinding(file: string, p: { message: string; line?: number }): Finding {
  const line = p.line ?? 0;
  const location: Location = { file, range: { start: { line, character: 0 }, end: { line, character: 0 } } };
  return { code: 'OBO100', severity: 'information', message: p.message, location };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.location.cell ?? -1) - (b.location.cell ?? -1) ||
    a.location.range.start.line - b.location.range.start.line ||
    a.location.range.start.character - b.location.range.start.character ||
    a.code.localeCompare(b.code)
  );
}
