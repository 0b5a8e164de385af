// createProject(): parses documents (incrementally when possible), runs the interpreter and the rules, keeps results until a change.
import * as path from 'path';
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import { BUILTIN_CATALOG } from '../catalog/data';
import { addTo, getOrAdd, pushTo } from './collections';
import { CatalogIndex } from '../catalog/lookup';
import type { Event } from './engine/events';
import { Interpreter, type Unit, unitsOf } from './engine/interpreter';
import { indexModule, resetState, type ModuleModel } from './engine/program';
import { resetValueIds } from './engine/values';
import type { Finding, InputDocument, Position } from './model';
import { loggedFile, readLogSite, type LogSite } from './obo/logsites';
import type { CompletionContext, Description, Project, ProjectOptions, TextChange } from './project';
import {
  applyChange,
  linesAround,
  loadParser,
  parse,
  parseableText,
  touchesCommentLine,
  widenToLines,
} from './python/parser';
import { convertTreeReusing, insideSensitive, moveAroundBlankEdit, type ShiftInfo } from './python/reuse';
import { reparseStatements } from './python/statements';
import { convertTree, emptyModule, type PyNode } from './python/tree';
import type { AgentReport } from '../../../shared/reports';
import { compareScopes } from './rules/scopes';
import { extractUnits } from './sources/extract';
import { normaliseText } from './sources/text';
import type { PythonUnit } from './sources/unit';
import { describeAt, completionAt } from './describe';
import { RulePipeline, type AnalysisResult } from './pipeline';

interface ParsedUnit {
  unit: PythonUnit;
  /** Kept only for recently set documents, the ones the next change may edit incrementally (wasm memory). */
  tree?: Tree;
  mod: ModuleModel;
  /** The text the tree was parsed from (comment-only lines blanked). */
  parsed: string;
  /** Set when an incremental parse found the module unchanged in meaning (its interpretation still holds). */
  kept?: boolean;
  /** Why the unit could not be analysed (parse budget, nesting), reported as OBO100. */
  problem?: string;
}

/**
 * True when an edit changed only blank lines (comment-only lines are blank in the parsed text), outside strings and
 * error nodes and not after a backslash continuation: Python reads the file exactly as before.
 */
function onlyBlankLines(reuse: Reuse, parsed: string): boolean {
  const { startIndex, oldEndIndex, newEndIndex } = reuse.shift;
  const before = reuse.was.parsed;
  const lineStart = before.lastIndexOf('\n', startIndex - 1) + 1;
  return (
    !reuse.was.problem &&
    BLANK.test(linesAround(before, startIndex, oldEndIndex)) &&
    BLANK.test(linesAround(parsed, startIndex, newEndIndex)) &&
    !/\\[ \t]*$/.test(before.slice(Math.max(0, lineStart - 200), Math.max(0, lineStart - 1))) &&
    !insideSensitive(reuse.was.mod.root, startIndex, oldEndIndex)
  );
}

const BLANK = /^[ \t\n]*$/;

/** A module whose code still means the same: it keeps its index and interpretation and takes the new text. */
function keepModule(mod: ModuleModel, unit: PythonUnit): ModuleModel {
  mod.src = unit.text;
  mod.unit = unit;
  return mod;
}

/** What an incremental parse may keep from the unit it replaces. */
interface Reuse {
  was: ParsedUnit;
  shift: ShiftInfo;
}

interface DocState {
  doc: InputDocument;
  units: ParsedUnit[];
  problems: { message: string; line?: number }[];
}

export type { AnalysisResult } from './pipeline';

const NO_EVENTS: readonly Event[] = [];

const DEFAULT_BUDGET_MS = 2000;
/** Documents that keep their syntax tree for incremental parsing: more than anyone types in at once. */
const TREES_KEPT = 32;

export async function createProject(options: ProjectOptions = {}): Promise<Project> {
  const parser = await loadParser();
  return new ProjectImpl(parser, options);
}

class ProjectImpl implements Project {
  private readonly docs = new Map<string, DocState>();
  private readonly disk = new Map<string, ParsedUnit | null>();
  private result: AnalysisResult | undefined;
  /** The last interpretation: still valid while nothing is `changed` (comment and blank-line edits are not). */
  private interpreted: { modules: ModuleModel[] } | undefined;
  /** Modules each module reached during the current interpreter run. */
  private runLinks = new Map<ModuleModel, Set<ModuleModel>>();
  /** The interpreter of a one-module group, kept to take the next change in incrementally. */
  private kept: { mod: ModuleModel; interp: Interpreter; units: Set<Unit>; updates: number } | undefined;
  /** Set when files appeared or went away: every module interprets again (an import may now resolve). */
  private fullRun = false;
  /** Paths (files, notebook units) whose meaning changed since the last interpretation. */
  private readonly changed = new Set<string>();
  /** The last interpretation by module: events, the modules each one reached, and the groups they form. */
  private groups:
    | {
        groupOf: Map<string, ModuleModel[]>;
        eventsOf: Map<ModuleModel, Event[]>;
        linksOf: Map<ModuleModel, Set<ModuleModel>>;
        universe: Set<ModuleModel>;
      }
    | undefined;
  private readonly cat: CatalogIndex;
  private readonly pipeline: RulePipeline;

  constructor(
    private readonly parser: Parser,
    private readonly options: ProjectOptions,
  ) {
    this.cat = new CatalogIndex(options.catalog ?? BUILTIN_CATALOG);
    this.pipeline = new RulePipeline(this.cat);
  }

  setDocument(doc: InputDocument, changes?: TextChange[]): void {
    const key = path.normalize(doc.path);
    const prev = this.docs.get(key);
    let text = doc.text === undefined ? undefined : normaliseText(doc.text);
    let incremental: Tree | undefined;
    let shift: ShiftInfo | undefined;
    if (changes?.length && prev?.doc.text !== undefined && !doc.cells) {
      // Apply the changes to the previous (normalised) text, editing a copy of its tree so tree-sitter reparses
      // only what moved. Positions are the same in normalised text: only line breaks and NULs differ.
      const single = prev.units.length === 1 && prev.units[0].unit.kind === 'file';
      // (A document set long ago has no tree left: it is parsed afresh.)
      let tree: Tree | undefined = single ? prev.units[0].tree?.copy() : undefined;
      let applied = prev.doc.text;
      for (const c of changes) {
        if (!c.range) {
          applied = normaliseText(c.text);
          tree?.delete();
          tree = undefined;
          continue;
        }
        const exact = applyChange(applied, c.range, normaliseText(c.text));
        const a = touchesCommentLine(applied, exact) ? widenToLines(applied, exact) : exact;
        tree?.edit(new Edit(a));
        applied = a.text;
        // One change keeps the old statements reusable; several are rare and take the full conversion.
        shift =
          changes.length === 1 && tree
            ? {
                startIndex: a.startIndex,
                startRow: a.startPosition.row,
                oldEndIndex: a.oldEndIndex,
                newEndIndex: a.newEndIndex,
                oldEndRow: a.oldEndPosition.row,
                newEndRow: a.newEndPosition.row,
              }
            : undefined;
      }
      if (text !== undefined && text !== applied) {
        // The caller's full text wins; changes that do not lead to it cannot drive an incremental parse.
        tree?.delete();
        tree = undefined;
      }
      text ??= applied;
      incremental = tree;
      if (!tree) {
        shift = undefined;
      }
    }
    if (text === undefined && !doc.cells && changes?.length && prev?.doc.text === undefined) {
      let t = '';
      for (const c of changes) {
        t = c.range ? applyChange(t, c.range, normaliseText(c.text)).text : normaliseText(c.text);
      }
      text = t;
    }
    const next: InputDocument = { ...doc, path: key, text };
    const was = prev?.units[0];
    const reuse = incremental && shift && was ? { was, shift } : undefined;
    const built = this.build(next, incremental, reuse);
    this.docs.set(key, built);
    this.ownUnits(key, prev, built);
    this.keepTrees(key);
    // An edit that left the module's meaning intact (a comment, a blank line) keeps the last interpretation.
    const paths = (state: DocState | undefined) => (state?.units ?? []).map((u) => u.unit.path).join('\n');
    if (!prev || paths(prev) !== paths(built)) {
      // A file (or a notebook's %%writefile file) appeared: modules that looked for it before must look again.
      this.fullRun = true;
    }
    if (!was || built.units.length !== 1 || !built.units[0].kept) {
      this.markChanged([
        key,
        ...(prev?.units ?? []).map((u) => u.unit.path),
        ...built.units.map((u) => u.unit.path),
      ]);
    }
    this.disposeDoc(prev);
    this.disk.delete(key);
    this.result = undefined;
  }

  removeDocument(p: string): void {
    const key = path.normalize(p);
    const prev = this.docs.get(key);
    this.markChanged([key, ...(prev?.units ?? []).map((u) => u.unit.path)]);
    this.fullRun = true;
    this.disposeDoc(prev);
    this.docs.delete(key);
    this.ownUnits(key, prev, undefined);
    this.recentTrees.delete(key);
    this.disk.delete(key);
    this.result = undefined;
  }

  hasDocument(p: string): boolean {
    return this.docs.has(path.normalize(p));
  }

  /** The text of a document as the analyser sees it (after incremental changes). */
  textOf(p: string): string | undefined {
    return this.docs.get(path.normalize(p))?.doc.text;
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

  // ------------------------------------------------------------------ parsing

  private disposeDoc(state: DocState | undefined): void {
    for (const u of state?.units ?? []) {
      u.tree?.delete();
    }
  }

  /** Documents whose trees are kept, least recently set first. */
  private readonly recentTrees = new Set<string>();

  /**
   * Keeps the syntax trees of the documents set most recently (those being typed in) and frees the others': an
   * indexed workspace would otherwise hold a tree for every file in tree-sitter's memory, which never shrinks.
   */
  private keepTrees(key: string): void {
    this.recentTrees.delete(key);
    this.recentTrees.add(key);
    for (const old of this.recentTrees) {
      if (this.recentTrees.size <= TREES_KEPT) {
        break;
      }
      this.recentTrees.delete(old);
      for (const u of this.docs.get(old)?.units ?? []) {
        u.tree?.delete();
        u.tree = undefined;
      }
    }
  }

  private parseUnit(unit: PythonUnit, old?: Tree, reuse?: Reuse): ParsedUnit {
    const budget = this.options.timeBudgetMs ?? DEFAULT_BUDGET_MS;
    const started = Date.now();
    const parsed = parseableText(unit.text);
    if (old && reuse && onlyBlankLines(reuse, parsed)) {
      // tree-sitter-python reparses a lot after an edit to a blank line (typing a comment or indenting a new line),
      // yet nothing changed but positions: keep the edited tree unparsed (the next parse takes up its edits) and
      // move the nodes, so the module and its interpretation stay.
      moveAroundBlankEdit(reuse.was.mod.root, reuse.shift, unit.text);
      const mod = keepModule(reuse.was.mod, unit);
      mod.prepMs = Date.now() - started;
      return { unit, tree: old, mod, parsed, kept: true };
    }
    // Most keystrokes change one statement: parse its lines alone, leaving the tree edited for the next full parse.
    const lines =
      old && reuse && !reuse.was.problem
        ? reparseStatements(
            this.parser,
            reuse.was.mod.root,
            reuse.shift,
            { old: reuse.was.parsed, new: parsed },
            budget,
          )
        : undefined;
    let tree = lines ? old : parse(this.parser, parsed, old, budget);
    let problem: string | undefined;
    if (!tree) {
      problem = `${path.basename(unit.path)} takes longer than its time budget (${budget} ms) to parse: it is not analysed.`;
      tree = parse(this.parser, '') as Tree;
      old?.delete();
      old = undefined;
    }
    let root: PyNode;
    let mod: ModuleModel;
    let kept = false;
    try {
      root =
        lines ??
        (old && reuse
          ? convertTreeReusing(tree, tree.getChangedRanges(old), reuse.was.mod.root, reuse.shift, {
              old: reuse.was.parsed,
              new: parsed,
            })
          : convertTree(tree));
      if (reuse && root === reuse.was.mod.root) {
        // Same statements, moved: the module keeps its index (and values pointing at it), with the new text.
        mod = keepModule(reuse.was.mod, unit);
        kept = true;
      } else {
        mod = indexModule(unit, root, reuse?.was.mod);
      }
    } catch (e) {
      if (!(e instanceof RangeError)) {
        throw e;
      }
      // Thousands of nested brackets overflow the recursive passes: keep the file, analyse nothing in it.
      problem = `${path.basename(unit.path)} nests expressions too deeply to analyse.`;
      mod = indexModule(unit, emptyModule());
    }
    if (!lines) {
      old?.delete();
    }
    mod.prepMs = Date.now() - started;
    return { unit, tree, mod, parsed, problem, kept };
  }

  private build(doc: InputDocument, incremental: Tree | undefined, reuse?: Reuse): DocState {
    const { units, problems } = extractUnits(doc);
    const single = units.length === 1 && units[0].kind === 'file';
    const parsed = units.map((u, i) =>
      this.parseUnit(u, i === 0 && single ? incremental : undefined, i === 0 && single ? reuse : undefined),
    );
    if (!single) {
      incremental?.delete();
    }
    for (const u of parsed) {
      if (u.problem) {
        problems.push({ message: u.problem, line: u.unit.lines?.[0]?.line ?? 0 });
      }
    }
    return { doc, units: parsed, problems };
  }

  /** Unit path → the documents holding a unit of that path (a file, or a notebook's %%writefile target). */
  private readonly unitOwners = new Map<string, Set<string>>();

  private ownUnits(key: string, prev: DocState | undefined, next: DocState | undefined): void {
    for (const u of prev?.units ?? []) {
      const owners = this.unitOwners.get(u.unit.path);
      owners?.delete(key);
      if (owners?.size === 0) {
        this.unitOwners.delete(u.unit.path);
      }
    }
    for (const u of next?.units ?? []) {
      addTo(this.unitOwners, u.unit.path, key);
    }
  }

  private moduleByPath(p: string): ModuleModel | undefined {
    const owners = this.unitOwners.get(p);
    if (owners?.size === 1) {
      const [key] = owners;
      return this.docs.get(key)?.units.find((u) => u.unit.path === p)?.mod;
    }
    if (owners) {
      // Several documents hold it: the first one, in document order, as before the index.
      for (const state of this.docs.values()) {
        for (const u of state.units) {
          if (u.unit.path === p) {
            return u.mod;
          }
        }
      }
    }
    const cached = this.disk.get(p);
    if (cached !== undefined) {
      return cached?.mod;
    }
    let text: string | undefined;
    try {
      text = this.options.readFile?.(p);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      this.disk.set(p, null);
      return undefined;
    }
    // Same normalisation as open documents (BOM, line endings); a notebook source's own code is its module.
    const unit = extractUnits({ path: p, text }).units.find((u) => u.path === p) ?? {
      path: p,
      origin: p,
      kind: 'file' as const,
      text,
    };
    const parsed = this.parseUnit(unit);
    // A file read from disk is never edited incrementally (it becomes a document first): its tree can go.
    parsed.tree?.delete();
    parsed.tree = undefined;
    this.disk.set(p, parsed);
    return parsed.mod;
  }

  /** Import resolutions of the current run (a miss costs a file-system look-up per candidate). */
  private resolved = new Map<string, ModuleModel | undefined>();

  private resolveModule(from: ModuleModel, dotted: string, level: number): ModuleModel | undefined {
    const key = `${path.dirname(from.path)}|${level}|${dotted}`;
    if (this.resolved.has(key)) {
      const hit = this.resolved.get(key);
      return hit === from ? undefined : hit;
    }
    const found = this.resolveUncached(from, dotted, level);
    this.resolved.set(key, found);
    return found;
  }

  private resolveUncached(from: ModuleModel, dotted: string, level: number): ModuleModel | undefined {
    let base = path.dirname(from.path);
    for (let i = 1; i < level; i++) {
      base = path.dirname(base);
    }
    const rel = dotted ? dotted.split('.') : [];
    const stem = path.join(base, ...rel);
    const candidates = rel.length
      ? [`${stem}.py`, path.join(stem, '__init__.py')]
      : [path.join(base, '__init__.py')];
    for (const c of candidates) {
      const m = this.moduleByPath(c);
      if (m) {
        return m;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------------ analysis

  /** True when a file the last run looked for and did not find exists now. */
  private missAppeared(): boolean {
    const version = this.options.missesVersion?.();
    if (version !== undefined && version === this.missesChecked) {
      return false;
    }
    this.missesChecked = version;
    for (const [k, v] of this.disk) {
      if (v === null && this.options.readFile?.(k) !== undefined) {
        return true;
      }
    }
    return false;
  }

  /** The `missesVersion` the misses were last looked for again at. */
  private missesChecked: number | undefined;

  /** Log sites read from their events: a kept group keeps its event objects, so its sites are read once. */
  private readonly logSites = new WeakMap<Event, LogSite>();

  private logSiteOf(e: Extract<Event, { k: 'logModel' }>): LogSite {
    return getOrAdd(this.logSites, e, () => readLogSite(e, this.cat));
  }

  private markChanged(paths: string[]): void {
    for (const p of paths) {
      this.changed.add(path.normalize(p));
    }
  }

  /** Every module the project holds now: open documents' units, then files read from disk. */
  private currentModules(): ModuleModel[] {
    const mods: ModuleModel[] = [];
    for (const state of this.docs.values()) {
      for (const u of state.units) {
        mods.push(u.mod);
      }
    }
    for (const v of this.disk.values()) {
      if (v) {
        mods.push(v.mod);
      }
    }
    return mods;
  }

  /**
   * Interprets what changed. Modules only share values through a reference from one to the other (an import, a
   * logged python_model), so the program splits into independent groups: a change re-runs the groups it touches
   * and keeps the others' events. A run that reaches a module outside its groups takes that module's group in and
   * runs again, so the result is the one a full run gives.
   */
  private interpret(): { modules: ModuleModel[] } {
    const missAppeared = this.missAppeared();
    if (this.interpreted && !this.changed.size && !this.fullRun && !missAppeared) {
      return this.interpreted;
    }
    // Files read from disk may have changed since: forget misses, keep parsed hits (watchers re-set changed ones).
    for (const [k, v] of this.disk) {
      if (v === null) {
        this.disk.delete(k);
      }
    }
    this.resolved = new Map();
    const all = this.currentModules();
    const existed = new Set(all);
    const groups = this.groups;
    const full = !groups || missAppeared || this.fullRun;
    if (full) {
      this.fullRun = false;
      resetValueIds();
      // Imports may resolve differently now: a kept interpreter would only re-run what changed, not re-import.
      this.kept = undefined;
    }
    // Every module, or what changed or was never interpreted together with the groups of what changed.
    const runSet = new Set(
      full ? all : all.filter((m) => this.changed.has(m.path) || !groups.universe.has(m)),
    );
    /** The modules (still here) of the group a path belonged to in the last run. */
    const addGroup = (p: string) => {
      for (const x of groups?.groupOf.get(p) ?? []) {
        if (existed.has(x)) {
          runSet.add(x);
        }
      }
    };
    if (!full) {
      this.changed.forEach(addGroup);
    }
    this.changed.clear();
    const eventsOf = new Map(groups?.eventsOf ?? []);
    const linksOf = new Map(groups?.linksOf ?? []);
    const universe = new Set([...(groups?.universe ?? [])].filter((m) => !runSet.has(m) && existed.has(m)));
    for (;;) {
      const { events, modules, links } = this.interpretGroup(all.filter((m) => runSet.has(m)));
      // (A module first read from disk during this run started empty: it is part of the run, not another group.)
      const outside = [...links.values()]
        .flatMap((to) => [...to])
        .filter((m) => existed.has(m) && !runSet.has(m));
      if (outside.length) {
        // This run reached into another group: run again with it.
        for (const m of outside) {
          runSet.add(m);
          addGroup(m.path);
        }
        continue;
      }
      for (const m of runSet) {
        eventsOf.delete(m);
        linksOf.delete(m);
        universe.delete(m);
      }
      for (const m of modules) {
        universe.add(m);
        eventsOf.set(m, []);
      }
      for (const e of events) {
        eventsOf.get(e.fn.mod)?.push(e);
      }
      for (const [from, to] of links) {
        linksOf.set(from, to);
      }
      break;
    }
    const ordered = this.currentModules().filter((m) => universe.has(m));
    this.groups = { groupOf: groupModules(ordered, linksOf), eventsOf, linksOf, universe: new Set(ordered) };
    // (The rules read events per module: the whole program's list is built only when asked for.)
    const out = { modules: ordered };
    this.interpreted = out;
    return out;
  }

  private isDiskModule(m: ModuleModel): boolean {
    return this.disk.get(m.path)?.mod === m;
  }

  /**
   * Interprets a group. A group of one module that reaches no other (the usual agent file, with its imports from
   * installed packages) keeps its interpreter between changes: a change then re-evaluates only what the edited code
   * can reach (`Interpreter.update`), unless that run turns out order-sensitive or reaches another module, in which
   * case the group is interpreted afresh.
   */
  private interpretGroup(mods: ModuleModel[]): ReturnType<ProjectImpl['interpretModules']> {
    const only = mods.length === 1 ? mods[0] : undefined;
    const kept = this.kept;
    // (Every so often a fresh run instead: the kept interpreter still lists readers that are gone.)
    if (
      only &&
      kept?.mod === only &&
      !kept.interp.orderSensitive &&
      !only.truncated &&
      ++kept.updates < 500
    ) {
      const now = unitsOf(only);
      const current = new Set(now);
      const removed = [...kept.units].filter((u) => !current.has(u));
      const added = now.filter((u) => !kept.units.has(u));
      this.runLinks = new Map();
      const out = kept.interp.update(removed, added);
      const result = { ...out, links: this.runLinks, interp: kept.interp };
      if (keepable(only, result)) {
        kept.units = current;
        return result;
      }
    }
    const result = this.interpretModules(mods);
    this.kept =
      only && keepable(only, result)
        ? { mod: only, interp: result.interp, units: new Set(unitsOf(only)), updates: 0 }
        : undefined;
    return result;
  }

  /** One interpreter run over `mods` (and what they import or log), recording which modules each one reached. */
  private interpretModules(mods: ModuleModel[]): {
    events: Event[];
    modules: ModuleModel[];
    links: Map<ModuleModel, Set<ModuleModel>>;
    interp: Interpreter;
  } {
    for (const m of mods) {
      resetState(m);
    }
    // Files read from disk are evaluated only when something imports or logs them (as in Python).
    const initial = mods.filter((m) => !this.isDiskModule(m));
    this.runLinks = new Map();
    // The callbacks outlive this run when the interpreter is kept: they record into the links of the current run.
    const reached = (from: ModuleModel, to: ModuleModel | undefined) => {
      if (to && to !== from) {
        addTo(this.runLinks, from, to);
      }
      return to;
    };
    const cat = this.cat;
    const interp = new Interpreter(
      initial,
      cat,
      (from, dotted, level) => reached(from, this.resolveModule(from, dotted, level)),
      this.options.timeBudgetMs ?? DEFAULT_BUDGET_MS,
      (from, name, args) => {
        const file = loggedFile(from.path, args, cat.logModelArg(name));
        return reached(
          from,
          file && file !== from.path ? this.moduleByPath(path.normalize(file)) : undefined,
        );
      },
      // Disk modules join a run when first reached: their state starts empty.
      (m) => {
        if (!mods.includes(m)) {
          resetState(m);
        }
      },
    );
    const { events, modules } = interp.run();
    return { events, modules, links: this.runLinks, interp };
  }

  private run(): AnalysisResult {
    const { modules } = this.interpret();
    const groups = this.groups;
    return this.pipeline.run({
      modules,
      eventsOf: (m) => groups?.eventsOf.get(m) ?? NO_EVENTS,
      linksOf: (m) => groups?.linksOf.get(m) ?? [],
      isProjectModule: (m) => this.isProjectModule(m),
      logSiteOf: (e) => this.logSiteOf(e),
      docs: [...this.docs.values()].map((state) => ({ path: state.doc.path, problems: state.problems })),
    });
  }

  private isProjectModule(m: ModuleModel): boolean {
    return this.docs.has(m.unit.origin);
  }
}

export { compareScopes };

/**
 * Whether a run of one module may be taken further by `Interpreter.update`: it stayed alone (reached no other
 * module), finished in its budget, and its result does not depend on the order of work.
 */
function keepable(
  only: ModuleModel,
  run: { modules: ModuleModel[]; links: Map<ModuleModel, Set<ModuleModel>>; interp: Interpreter },
): boolean {
  return run.modules.length === 1 && !run.links.size && !only.truncated && !run.interp.orderSensitive;
}

/** Connected groups of modules, by path, over the references between them (either direction). */
function groupModules(
  mods: ModuleModel[],
  linksOf: Map<ModuleModel, Set<ModuleModel>>,
): Map<string, ModuleModel[]> {
  const parent = new Map<ModuleModel, ModuleModel>(mods.map((m) => [m, m]));
  const find = (m: ModuleModel): ModuleModel => {
    let r = m;
    while (parent.get(r) !== r) {
      r = parent.get(r) as ModuleModel;
    }
    parent.set(m, r);
    return r;
  };
  for (const [from, to] of linksOf) {
    for (const t of to) {
      if (parent.has(from) && parent.has(t)) {
        parent.set(find(from), find(t));
      }
    }
  }
  // (Each module's root once: a group of n modules was copied n times as it grew.)
  const rootOf = new Map<ModuleModel, ModuleModel>(mods.map((m) => [m, find(m)]));
  const members = new Map<ModuleModel, ModuleModel[]>();
  for (const m of mods) {
    pushTo(members, rootOf.get(m) as ModuleModel, m);
  }
  const byPath = new Map<string, ModuleModel[]>();
  for (const m of mods) {
    byPath.set(m.path, members.get(rootOf.get(m) as ModuleModel) ?? [m]);
  }
  return byPath;
}
