// createProject(): the analyser's façade. A change flows one way: documents → units → modules → scheduler → interpretation → pipeline.
import * as path from 'path';
import { BUILTIN_CATALOG } from '../catalog/data';
import { CatalogIndex } from '../catalog/lookup';
import { getOrAdd } from './collections';
import { completionAt } from './completion';
import { describeAt } from './describe';
import type { Event } from './engine/events';
import type { Finding, InputDocument, Position } from './model';
import { readLogSite, type LogSite } from './obo/logsites';
import { RulePipeline, type AnalysisResult } from './pipeline';
import type { CompletionContext, Description, Project, ProjectOptions, TextChange } from './project';
import { loadParser } from './python/parser';
import type { Parser } from 'web-tree-sitter';
import { Documents } from './workspace/documents';
import { Interpretation } from './workspace/interpretation';
import { Modules } from './workspace/modules';
import { Scheduler } from './workspace/scheduler';
import { UnitParser } from './workspace/units';
import type { AgentReport } from '../../../shared/reports';

export type { AnalysisResult } from './pipeline';

const NO_EVENTS: readonly Event[] = [];

const DEFAULT_BUDGET_MS = 2000;

export async function createProject(options: ProjectOptions = {}): Promise<Project> {
  return new ProjectImpl(await loadParser(), options);
}

class ProjectImpl implements Project {
  /** Open documents, their units and each unit's module (parsed incrementally on edits). */
  private readonly documents: Documents;
  /** Modules by path (documents, then files read from disk) and how imports and log sites resolve to them. */
  private readonly modules: Modules;
  /** What a change invalidates and which groups of modules interpret again. */
  private readonly scheduler: Scheduler;
  private readonly pipeline: RulePipeline;
  private readonly cat: CatalogIndex;
  /** The last analysis, until a document changes. */
  private result: AnalysisResult | undefined;

  constructor(parser: Parser, options: ProjectOptions) {
    const budgetMs = options.timeBudgetMs ?? DEFAULT_BUDGET_MS;
    this.cat = new CatalogIndex(options.catalog ?? BUILTIN_CATALOG);
    const units = new UnitParser(parser, budgetMs);
    this.documents = new Documents(units);
    this.modules = new Modules(this.documents, units, this.cat, options);
    this.scheduler = new Scheduler(this.modules, new Interpretation(this.modules, this.cat, budgetMs));
    this.pipeline = new RulePipeline(this.cat);
  }

  setDocument(doc: InputDocument, changes?: TextChange[]): void {
    const key = path.normalize(doc.path);
    const change = this.documents.set(key, doc, changes);
    this.modules.forget(key);
    this.scheduler.take(change);
    this.result = undefined;
  }

  removeDocument(p: string): void {
    const key = path.normalize(p);
    const change = this.documents.remove(key);
    this.modules.forget(key);
    this.scheduler.take(change);
    this.result = undefined;
  }

  hasDocument(p: string): boolean {
    return this.documents.has(path.normalize(p));
  }

  /** The text of a document as the analyser sees it (after incremental changes). */
  textOf(p: string): string | undefined {
    return this.documents.get(path.normalize(p))?.doc.text;
  }

  findings(): Map<string, Finding[]> {
    return this.analyse().findings;
  }

  findingsFor(p: string): Finding[] {
    return this.analyse().findings.get(path.normalize(p)) ?? [];
  }

  dependents(p: string): string[] {
    const key = path.normalize(p);
    const links = this.analyse().links;
    const out = new Set<string>();
    const stack = [key];
    while (stack.length) {
      const cur = stack.pop() as string;
      for (const next of links.get(cur) ?? []) {
        if (!out.has(next) && next !== key) {
          out.add(next);
          stack.push(next);
        }
      }
    }
    return [...out];
  }

  agentReports(): AgentReport[] {
    return this.analyse().reports;
  }

  describeAt(file: string, position: Position, cell?: number): Description | undefined {
    return describeAt(this.analyse(), path.normalize(file), position, cell);
  }

  completionAt(file: string, position: Position, cell?: number): CompletionContext | undefined {
    return completionAt(this.analyse(), path.normalize(file), position, cell);
  }

  /** The last analysis, for tools that need more than findings (deploy plan, tests). */
  analyse(): AnalysisResult {
    this.result ??= this.run();
    return this.result;
  }

  /** Log sites read from their events: a kept group keeps its event objects, so its sites are read once. */
  private readonly logSites = new WeakMap<Event, LogSite>();

  private run(): AnalysisResult {
    const { modules, eventsOf, linksOf } = this.scheduler.interpret();
    return this.pipeline.run({
      modules,
      eventsOf: (m) => eventsOf.get(m) ?? NO_EVENTS,
      linksOf: (m) => linksOf.get(m) ?? [],
      // (A module of an open document; a file only read from disk has no document.)
      isProjectModule: (m) => this.documents.has(m.unit.origin),
      logSiteOf: (e) => getOrAdd(this.logSites, e, () => readLogSite(e, this.cat)),
      docs: this.documents.problems(),
    });
  }
}
