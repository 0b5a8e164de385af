// The rules after interpretation, per project (an agent, its log sites, what they reach): a project whose modules kept their text and events keeps its results.
import type { CatalogIndex } from '../catalog/lookup';
import type { Event } from './engine/events';
import type { ModuleModel } from './engine/program';
import type { Finding } from './model';
import type { AgentClass } from './obo/agents';
import { LogTargets, type LogSite } from './obo/logsites';
import type { AgentNeeds } from './obo/needs';
import { FindingsIndex, type Problems } from './projects/findingsIndex';
import { sameItems } from './collections';
import { readFacts, sameLinks, sameStand, type ModuleFacts } from './projects/moduleFacts';
import { agentLinks, projectsOf, type AgentLinks } from './projects/partition';
import { projectRules, type ProjectResult } from './projects/projectRules';
import type { AgentReport } from '../../../shared/reports';

/** Everything one analysis run produced; kept until the next change. */
export interface AnalysisResult {
  findings: Map<string, Finding[]>;
  reports: AgentReport[];
  /** Real file → files linked to it (agent ↔ log sites, importer ↔ imported), as of the latest run. */
  links: ReadonlyMap<string, ReadonlySet<string>>;
  modules: ModuleModel[];
  events: Event[];
  logSites: LogSite[];
  agents: AgentClass[];
  needsByAgent: Map<ModuleModel, AgentNeeds>;
  cat: CatalogIndex;
}

/** What the rules read from the interpretation and the documents. */
export interface PipelineInput {
  /** The interpreted modules, in program order. */
  modules: ModuleModel[];
  /** A module's events, in order; the same array while the module is not interpreted again. */
  eventsOf: (m: ModuleModel) => readonly Event[];
  /** Modules each module reached while interpreted (imports, logged agents). */
  linksOf: (m: ModuleModel) => Iterable<ModuleModel>;
  /** A module of an open or indexed document (its imports are checked), not a file only read from disk. */
  isProjectModule: (m: ModuleModel) => boolean;
  /** The log site an event stands for (the same object for the same event). */
  logSiteOf: (e: Extract<Event, { k: 'logModel' }>) => LogSite;
  /** Documents in program order with what made them unanalysable; a new array when the document changed. */
  docs: { path: string; problems: Problems }[];
}

export class RulePipeline {
  private readonly facts = new WeakMap<ModuleModel, ModuleFacts>();
  /** The last run: its modules and log-target index, its projects with their results, each module's project. */
  private last:
    | {
        modules: ModuleModel[];
        logSites: LogSite[];
        targets: LogTargets;
        agents: AgentLinks;
        projects: ModuleModel[][];
        results: ProjectResult[];
        projectOf: Map<ModuleModel, number>;
      }
    | undefined;
  private readonly index = new FindingsIndex();

  constructor(private readonly cat: CatalogIndex) {}

  run(input: PipelineInput): AnalysisResult {
    const { modules } = input;
    const last = this.last;
    const changed: [ModuleModel, ModuleFacts | undefined][] = [];
    const facts = modules.map((m) => {
      const was = this.facts.get(m);
      const f = this.factsOf(m, input);
      if (f !== was) {
        changed.push([m, was]);
      }
      return f;
    });
    const factsNow = (m: ModuleModel) => this.facts.get(m) as ModuleFacts;
    // A keystroke in an agent changes its events, not its log sites nor whether it is an agent: the log-target index
    // and the agent links of the last run still hold, and are not rebuilt over every module.
    const sameModules = last !== undefined && sameItems(last.modules, modules);
    const sameStanding =
      last !== undefined &&
      sameModules &&
      changed.every(([m, was]) => was !== undefined && sameStand(was, factsNow(m)));
    const logSites = sameStanding ? last.logSites : facts.flatMap((f) => f.sites);
    const targets = sameStanding ? last.targets : new LogTargets(modules, logSites, last?.targets);
    const agents = sameStanding ? last.agents : agentLinks(modules, facts, targets);
    // Only modules whose facts changed can change the projects; when none of them joins other modules than before,
    // the projects are the last run's and only those holding a changed module run again.
    const sameProjects =
      last !== undefined &&
      sameModules &&
      changed.every(([m, was]) => was !== undefined && sameLinks(was, factsNow(m), targets));
    let projects: ModuleModel[][];
    let results: ProjectResult[];
    let projectOf: Map<ModuleModel, number>;
    if (sameProjects) {
      ({ projects, projectOf } = last);
      results = last.results.slice();
      for (const [m] of changed) {
        const i = projectOf.get(m) as number;
        if (results[i] === last.results[i]) {
          results[i] = projectRules(projects[i], projects[i].map(factsNow), agents, targets, this.cat);
          this.index.remove(last.results[i]);
          this.index.add(results[i]);
        }
      }
    } else {
      projects = projectsOf(modules, facts, targets, agents);
      projectOf = new Map();
      const kept = new Set<ProjectResult>();
      results = projects.map((members, i) => {
        members.forEach((m) => projectOf.set(m, i));
        const j = last?.projectOf.get(members[0]);
        const was = j === undefined ? undefined : last?.results[j];
        if (
          was &&
          was.members.length === members.length &&
          was.members.every((m, k) => m === members[k] && was.facts[k] === factsNow(m))
        ) {
          kept.add(was);
          return was;
        }
        const r = projectRules(members, members.map(factsNow), agents, targets, this.cat);
        this.index.add(r);
        return r;
      });
      for (const r of last?.results ?? []) {
        if (!kept.has(r)) {
          this.index.remove(r);
        }
      }
    }
    this.last = { modules, logSites, targets, agents, projects, results, projectOf };
    const resultOf = (m: ModuleModel) => {
      const i = projectOf.get(m);
      return i === undefined ? undefined : results[i];
    };
    const reports: AgentReport[] = [];
    const needsByAgent = new Map<ModuleModel, AgentNeeds>();
    for (const m of agents.agentMods) {
      const r = resultOf(m);
      const report = r?.reports.get(m);
      if (r && report) {
        reports.push(report);
        needsByAgent.set(m, r.needs.get(m) as AgentNeeds);
      }
    }
    let order: Map<ModuleModel, number> | undefined;
    const rank = (r: ProjectResult) => {
      order ??= new Map(modules.map((m, i) => [m, i]));
      return order.get(r.members[0]) ?? 0;
    };
    let events: Event[] | undefined;
    let classes: AgentClass[] | undefined;
    return {
      findings: this.index.findings(input.docs, rank),
      reports,
      links: this.index.links,
      modules,
      // Every event of the program, for hover and tools: built when first read, not on every keystroke.
      get events() {
        events ??= modules.flatMap((m) => input.eventsOf(m));
        return events;
      },
      logSites,
      get agents() {
        classes ??= facts.flatMap((f) => f.agents);
        return classes;
      },
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
    const f = readFacts(m, events, project, input.linksOf(m), this.cat, input.logSiteOf);
    this.facts.set(m, f);
    return f;
  }
}
