// Abstract interpreter: flows values through variables, attributes, parameters and returns to a fixed point, recording events.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { ConsumerRow, PolicyRow, UserClientRow } from '../../catalog/types';
import { addTo, getOrAdd, pushTo } from '../collections';
import { child, childrenOf, nameOf, type PyNode, textOf } from '../python/tree';
import type { Event } from './events';
import {
  argsEmpty,
  type CallEdge,
  classOf,
  defOf,
  lambdaOf,
  NO_KEYWORDS,
  type ClassInfo,
  type FuncInfo,
  type ModuleModel,
} from './program';
import {
  type CallArgs,
  type ClientValue,
  type ConsumerValue,
  type DictValue,
  concatStrings,
  firstKnownString,
  isUserValue,
  knownString,
  mergeParts,
  type Site,
  str,
  unionInto,
  unionsCapped,
  UNKNOWN_STR,
  type Vals,
  type Value,
} from './values';

export class TimeBudgetExceeded extends Error {}

/** Resolves `import x.y` / `from ..x import y` to a local module of the project, loading it if needed. */
export type ModuleResolver = (from: ModuleModel, dotted: string, level: number) => ModuleModel | undefined;

/** Loads the agent file a `log_model(python_model=...)` call names, so a driver links to an agent that is not open. */
export type LoggedModuleLoader = (
  from: ModuleModel,
  logFunction: string,
  args: CallArgs,
) => ModuleModel | undefined;

/** Passes over dirty functions; unions are bounded, so this is a guard, not the usual exit. */
const MAX_PASSES = 40;

/** A top-level statement of a module, evaluated (and evaluated again) on its own, like a function. */
export interface StmtUnit {
  kind: 'stmt';
  node: PyNode;
  mod: ModuleModel;
  /** The calls it made (the module body's call edges are theirs, in statement order). */
  calls: CallEdge[];
}

/** What the worklist evaluates: a function, or one top-level statement of a module. */
export type Unit = FuncInfo | StmtUnit;

/** A module global or a class attribute (or, as `\u0000bases`, a class's resolved bases). */
interface NamedCell {
  owner: ModuleModel | ClassInfo;
  name: string;
}

/** Where values are written: a parameter's or a return's Vals array, or a named cell. */
type Cell = Vals | NamedCell;

const BASES = '\u0000bases';

/** Statement units by node: a statement kept across a reparse keeps its unit. */
const stmtUnits = new WeakMap<PyNode, StmtUnit>();

function stmtUnit(mod: ModuleModel, node: PyNode): StmtUnit {
  let u = stmtUnits.get(node);
  if (!u || u.mod !== mod) {
    u = { kind: 'stmt', node, mod, calls: [] };
    stmtUnits.set(node, u);
  }
  return u;
}

/** The units of a module, in evaluation order: its statements, then its functions. */
export function unitsOf(mod: ModuleModel): Unit[] {
  return [...mod.root.children.map((n) => stmtUnit(mod, n)), ...mod.functions];
}

export class Interpreter {
  events: Event[] = [];
  private steps = 0;
  /** The unit being evaluated: what it reads makes it a reader of that cell. */
  private current: Unit | undefined;
  /** Cell (a parameter's or a return's Vals array) → units that read it. */
  private readonly readers = new Map<Vals, Set<Unit>>();
  /** Module globals and class attributes: owner → name → units that read it. */
  private readonly namedReaders = new Map<ModuleModel | ClassInfo, Map<string, Set<Unit>>>();
  /** Units to evaluate again because something they read grew. */
  private dirty = new Set<Unit>();
  private readonly fnEvents = new Map<Unit, Event[]>();
  /** The cells each unit wrote in its last evaluation, and the reverse: what a later change must undo and redo. */
  private readonly unitWrites = new Map<Unit, Set<Cell>>();
  private readonly cellWriters = new Map<Cell, Set<Unit>>();
  private readonly named = new Map<ModuleModel | ClassInfo, Map<string, NamedCell>>();
  /** Units of code that is gone: never evaluated again, skipped when something they read grows. */
  private readonly dead = new WeakSet<Unit>();
  /** Set when a run stopped at the pass limit or a union dropped values: its result depends on the order of work. */
  orderSensitive = false;
  private readonly inner = new Map<FuncInfo, FuncInfo[]>();
  private deadline = Infinity;
  private readonly mods: ModuleModel[];
  private readonly spent = new Map<ModuleModel, number>();
  /**
   * Flow-sensitive locals of the function being evaluated: what each name holds at this point of its body (an
   * assignment replaces, branches join, a branch that returns drops out). A name it lacks reads the function's
   * union of values; inside loops (`weak` > 0) assignments drop the name, so loops stay flow-insensitive.
   */
  private flow: Map<string, Vals> | undefined;
  private flowFn: FuncInfo | undefined;
  private weak = 0;

  constructor(
    mods: ModuleModel[],
    private readonly cat: CatalogIndex,
    private readonly resolve: ModuleResolver,
    /** Milliseconds one module may take over all passes; past it the module is cut off (OBO100). */
    private readonly budgetMs: number,
    private readonly loadLogged?: LoggedModuleLoader,
    /** Told when a module joins the run (imported or logged), before it is evaluated. */
    private readonly onJoin?: (mod: ModuleModel) => void,
  ) {
    this.mods = [...mods];
  }

  /**
   * Evaluates every function once, then again only those whose inputs grew (a worklist by passes), until nothing
   * new flows. Each function keeps the events of its last evaluation.
   */
  run(): { events: Event[]; modules: ModuleModel[] } {
    for (const mod of this.mods) {
      this.enqueue(mod);
    }
    return this.work();
  }

  /**
   * Takes a change of code into the last run's results (delete and re-derive): units of code that is gone are
   * removed with every cell they wrote; whatever read those cells, transitively, is evaluated again from empty
   * cells, with the other writers of those cells; new units are evaluated. Values only grow within a run, so this
   * reaches what a fresh run reaches, provided the run is not order-sensitive (checked by the caller).
   */
  update(removed: Unit[], added: Unit[]): { events: Event[]; modules: ModuleModel[] } {
    const redo = new Set<Unit>(removed);
    const cleared = new Set<Cell>();
    // A Set's iteration visits what is added to it meanwhile: this walks everything the removed units reached.
    for (const u of redo) {
      for (const cell of this.unitWrites.get(u) ?? []) {
        if (!cleared.has(cell)) {
          cleared.add(cell);
          this.clearCell(cell);
          this.readersOf(cell).forEach((r) => redo.add(r));
        }
      }
      for (const f of u.kind === 'stmt' ? [] : (this.inner.get(u) ?? [])) {
        redo.add(f);
      }
    }
    for (const u of removed) {
      this.dead.add(u);
      this.forgetWrites(u);
      this.fnEvents.delete(u);
    }
    for (const cell of cleared) {
      this.dirtyAll(this.cellWriters.get(cell));
    }
    this.dirtyAll(redo);
    this.dirtyAll(added);
    for (const u of added) {
      if (u.kind !== 'stmt' && u.outer) {
        pushTo(this.inner, u.outer, u);
      }
    }
    this.mods.forEach((mod) => this.startBudget(mod));
    return this.work();
  }

  private readersOf(cell: Cell): Set<Unit> {
    return (
      (Array.isArray(cell) ? this.readers.get(cell) : this.namedReaders.get(cell.owner)?.get(cell.name)) ??
      new Set()
    );
  }

  private clearCell(cell: Cell): void {
    if (Array.isArray(cell)) {
      cell.length = 0;
    } else if (cell.name === BASES) {
      const cls = cell.owner as ClassInfo;
      cls.localBases = [];
      cls.externalBases = [];
    } else {
      const store = 'globals' in cell.owner ? cell.owner.globals : cell.owner.attrs;
      store.delete(cell.name);
    }
  }

  private namedCell(owner: ModuleModel | ClassInfo, name: string): NamedCell {
    return getOrAdd(
      getOrAdd(this.named, owner, () => new Map()),
      name,
      () => ({ owner, name }),
    );
  }

  /** Records that the unit being evaluated writes into `cell`. */
  private wrote(cell: Cell): void {
    const u = this.current;
    if (!u) {
      return;
    }
    addTo(this.unitWrites, u, cell);
    addTo(this.cellWriters, cell, u);
  }

  private forgetWrites(u: Unit): void {
    for (const cell of this.unitWrites.get(u) ?? []) {
      this.cellWriters.get(cell)?.delete(u);
    }
    this.unitWrites.delete(u);
  }

  private work(): { events: Event[]; modules: ModuleModel[] } {
    const capped = unionsCapped();
    let pass = 0;
    for (; pass < MAX_PASSES && this.dirty.size; pass++) {
      for (let i = 0; i < this.mods.length; i++) {
        const mod = this.mods[i];
        if (mod.truncated) {
          continue;
        }
        const start = Date.now();
        this.deadline = start + this.budgetMs - (this.spent.get(mod) ?? 0);
        try {
          for (const u of unitsOf(mod)) {
            if (!this.dirty.delete(u)) {
              continue;
            }
            if (u.kind === 'stmt') {
              this.evalStmt(u);
              continue;
            }
            this.evalFunc(u);
            // Nested functions read this one's locals, which were just rebuilt.
            for (const f of this.inner.get(u) ?? []) {
              this.dirty.add(f);
            }
          }
        } catch (e) {
          // Out of time, or out of stack on thousands of nested brackets: this module's results stay partial.
          if (!(e instanceof TimeBudgetExceeded) && !(e instanceof RangeError)) {
            throw e;
          }
          mod.truncated = true;
        }
        this.spent.set(mod, (this.spent.get(mod) ?? 0) + Date.now() - start);
      }
    }
    if (this.dirty.size || unionsCapped() !== capped) {
      this.orderSensitive = true;
    }
    this.dirty.clear();
    this.deadline = Infinity;
    this.current = undefined;
    const events: Event[] = [];
    for (const mod of this.mods) {
      const units = unitsOf(mod);
      mod.body.calls = units.flatMap((u) => (u.kind === 'stmt' ? u.calls : []));
      for (const u of units) {
        events.push(...(this.fnEvents.get(u) ?? []));
      }
    }
    this.events = events;
    return { events, modules: this.mods };
  }

  /**
   * One budget per module covers its parse and its interpretation, so a file that was slow to parse is cut off (and
   * says so) instead of being given a second full budget.
   */
  private startBudget(mod: ModuleModel): void {
    this.spent.set(mod, mod.prepMs ?? 0);
    mod.prepMs = 0;
  }

  private enqueue(mod: ModuleModel): void {
    this.startBudget(mod);
    for (const u of unitsOf(mod)) {
      this.dirty.add(u);
    }
    for (const fn of mod.functions) {
      if (fn.outer) {
        pushTo(this.inner, fn.outer, fn);
      }
    }
  }

  private read(cell: Vals): void {
    if (this.current) {
      addTo(this.readers, cell, this.current);
    }
  }

  /** A named cell: a module global (or `*`, any of them) or a class attribute; no key string per read. */
  private readNamed(owner: ModuleModel | ClassInfo, name: string): void {
    if (!this.current) {
      return;
    }
    addTo(
      getOrAdd(this.namedReaders, owner, () => new Map()),
      name,
      this.current,
    );
  }

  private grew(cell: Vals): void {
    this.dirtyAll(this.readers.get(cell));
  }

  private grewNamed(owner: ModuleModel | ClassInfo, name: string): void {
    this.dirtyAll(this.namedReaders.get(owner)?.get(name));
  }

  private dirtyAll(fns: Iterable<Unit> | undefined): void {
    for (const f of fns ?? []) {
      if (!this.dead.has(f)) {
        this.dirty.add(f);
      }
    }
  }

  private globalGrew(mod: ModuleModel, name: string): void {
    this.grewNamed(mod, name);
    this.grewNamed(mod, '*');
  }

  private readGlobal(mod: ModuleModel, name: string): Vals | undefined {
    this.readNamed(mod, name);
    return mod.globals.get(name);
  }

  private tick(): void {
    if ((++this.steps & 255) === 0 && Date.now() > this.deadline) {
      throw new TimeBudgetExceeded();
    }
  }

  // ---------------------------------------------------------------- functions

  /** One top-level statement, in the module body's scope; its calls are its own. */
  private evalStmt(u: StmtUnit): void {
    const body = u.mod.body;
    this.current = u;
    this.forgetWrites(u);
    this.events = [];
    this.fnEvents.set(u, this.events);
    u.calls = [];
    const calls = body.calls;
    body.calls = u.calls;
    try {
      this.stmt(u.node, body);
    } finally {
      body.calls = calls;
    }
  }

  private evalFunc(fn: FuncInfo): void {
    this.flowFn = fn;
    this.flow = fn.kind === 'function' || fn.kind === 'method' ? new Map() : undefined;
    this.weak = 0;
    try {
      this.evalFuncBody(fn);
    } finally {
      this.flow = undefined;
      this.flowFn = undefined;
    }
  }

  private evalFuncBody(fn: FuncInfo): void {
    this.current = fn;
    this.forgetWrites(fn);
    this.events = [];
    this.fnEvents.set(fn, this.events);
    fn.calls = [];
    // (A module body is evaluated statement by statement, as units of its own: see evalStmt.)
    fn.locals.clear();
    fn.globalsDeclared.clear();
    const isStatic = fn.decorators.some((d) => this.decoratorName(fn, d) === 'staticmethod');
    const isClassMethod = fn.decorators.some((d) => this.decoratorName(fn, d) === 'classmethod');
    fn.params.forEach((p, i) => {
      let cell = fn.paramVals.get(p.name);
      if (!cell) {
        cell = [];
        fn.paramVals.set(p.name, cell);
      }
      this.read(cell);
      const vals: Vals = [...cell];
      if (i === 0 && fn.kind === 'method' && fn.cls && !isStatic) {
        vals.push(isClassMethod ? { k: 'class', cls: fn.cls } : { k: 'inst', cls: fn.cls });
      }
      fn.locals.set(p.name, vals);
    });
    if (!fn.body) {
      return;
    }
    if (fn.kind === 'lambda') {
      this.addReturn(fn, this.expr(fn.body, fn));
      return;
    }
    if (fn.kind === 'classbody') {
      this.classBases(fn.cls as ClassInfo, fn.outer ?? fn.mod.body);
    }
    this.block(fn.body, fn);
  }

  private addReturn(fn: FuncInfo, vals: Vals): void {
    this.wrote(fn.returns);
    if (unionInto(fn.returns, vals)) {
      this.grew(fn.returns);
    }
  }

  private classBases(cls: ClassInfo, scope: FuncInfo): void {
    const locals: ClassInfo[] = [];
    const externals: string[] = [];
    for (const b of cls.baseNodes) {
      for (const v of this.expr(b, scope)) {
        if (v.k === 'class') {
          locals.push(v.cls);
        } else if (v.k === 'ext') {
          externals.push(v.name);
        }
      }
    }
    this.wrote(this.namedCell(cls, BASES));
    const grew =
      locals.some((c) => !cls.localBases.includes(c)) ||
      externals.some((e) => !cls.externalBases.includes(e));
    cls.localBases = locals;
    cls.externalBases = externals;
    if (grew) {
      // Methods looked up through the bases before they were known: look again.
      this.grewNamed(cls, BASES);
    }
  }

  private decoratorName(fn: FuncInfo, d: PyNode): string {
    let e = d.children[0];
    if (e?.type === 'call') {
      e = child(e, 'function') ?? e;
    }
    if (!e) {
      return '';
    }
    const scope = fn.outer ?? (fn.cls ? fn.cls.body : fn.mod.body);
    for (const v of this.expr(e, scope)) {
      if (v.k === 'ext') {
        return v.name;
      }
    }
    return textOf(fn.mod.src, e);
  }

  // ---------------------------------------------------------------- statements

  private block(n: PyNode, fn: FuncInfo): void {
    for (const s of n.children) {
      this.stmt(s, fn);
    }
  }

  private stmt(s: PyNode, fn: FuncInfo): void {
    this.tick();
    switch (s.type) {
      case 'expression_statement':
        for (const c of s.children) {
          this.expr(c, fn);
        }
        return;
      case 'return_statement': {
        const vals: Vals = [];
        for (const c of s.children) {
          unionInto(vals, this.expr(c, fn));
        }
        // A closure returned while this function's locals are known: what it captures travels with it.
        for (const v of [...vals]) {
          if (v.k === 'func') {
            const site = { mod: v.fn.mod, node: v.fn.node };
            unionInto(
              vals,
              this.captured(v.fn).map((held): Value => ({ k: 'holder', held, site })),
            );
          }
        }
        this.addReturn(fn, vals);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of s.children) {
          if (c.type === 'identifier') {
            fn.globalsDeclared.add(textOf(fn.mod.src, c));
          }
        }
        return;
      case 'import_statement':
      case 'import_from_statement':
        this.importStmt(s, fn);
        return;
      case 'decorated_definition': {
        const def = child(s, 'definition');
        if (def) {
          this.definition(
            def,
            fn,
            s.children.filter((c) => c.type === 'decorator'),
          );
        }
        return;
      }
      case 'function_definition':
      case 'class_definition':
        this.definition(s, fn, []);
        return;
      case 'if_statement':
        return this.flowing(fn) ? this.ifFlow(s, fn) : this.visit(s, fn);
      case 'try_statement':
        return this.flowing(fn) ? this.tryFlow(s, fn) : this.visit(s, fn);
      case 'while_statement':
      case 'match_statement':
        return this.loopFlow(() => this.visit(s, fn));
      case 'for_statement':
        return this.loopFlow(() => this.forStmt(s, fn));
      case 'for_in_clause':
        return this.forStmt(s, fn);
      case 'with_statement':
        for (const c of s.children) {
          if (c.type === 'with_clause') {
            for (const item of c.children) {
              const value = child(item, 'value');
              if (value?.type === 'as_pattern') {
                const vals = value.children[0] ? this.expr(value.children[0], fn) : [];
                const target = child(value, 'alias');
                if (target) {
                  this.assign(target.children[0] ?? target, vals, fn);
                }
              } else if (value) {
                this.expr(value, fn);
              }
            }
          } else {
            this.stmt(c, fn);
          }
        }
        return;
      case 'except_clause':
        for (const c of s.children) {
          if (c.type === 'block') {
            this.block(c, fn);
          } else if (c.type === 'as_pattern') {
            const alias = child(c, 'alias');
            if (alias) {
              this.assign(alias.children[0] ?? alias, [], fn);
            }
          }
        }
        return;
      case 'block':
        this.block(s, fn);
        return;
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'future_import_statement':
        return;
      default:
        this.visit(s, fn);
    }
  }

  /** if/while/try/match/else/elif/finally and error-recovered nodes: visit children in order. */
  private visit(s: PyNode, fn: FuncInfo): void {
    for (const c of s.children) {
      if (
        c.type === 'block' ||
        c.type.endsWith('_clause') ||
        c.type.endsWith('_statement') ||
        c.type === 'ERROR'
      ) {
        this.stmt(c, fn);
      } else {
        this.expr(c, fn);
      }
    }
  }

  private forStmt(s: PyNode, fn: FuncInfo): void {
    const right = child(s, 'right');
    const items = right ? this.iterate(this.expr(right, fn)) : [];
    const left = child(s, 'left');
    if (left) {
      this.assign(left, items, fn);
    }
    this.rest(s, fn, ['left', 'right']);
  }

  // ---------------------------------------------------------------- flow-sensitive locals

  private flowing(fn: FuncInfo): boolean {
    return !!this.flow && fn === this.flowFn && this.weak === 0;
  }

  /** A loop body runs any number of times: its assignments are weak (the name reads the union afterwards). */
  private loopFlow(body: () => void): void {
    this.weak++;
    try {
      body();
    } finally {
      this.weak--;
    }
  }

  /** Runs `branch` from a copy of `start`; returns its end state, or undefined when it always leaves (return...). */
  private branch(
    start: Map<string, Vals>,
    run: () => void,
    body: PyNode | undefined,
  ): Map<string, Vals> | undefined {
    this.flow = new Map([...start].map(([k, v]) => [k, [...v]]));
    run();
    return body && leaves(body) ? undefined : this.flow;
  }

  private ifFlow(s: PyNode, fn: FuncInfo): void {
    const cond = child(s, 'condition');
    if (cond) {
      this.expr(cond, fn);
    }
    const start = this.flow as Map<string, Vals>;
    const outs: (Map<string, Vals> | undefined)[] = [];
    const consequence = child(s, 'consequence');
    outs.push(this.branch(start, () => consequence && this.stmt(consequence, fn), consequence));
    let otherwise = false;
    for (const alt of childrenOf(s, 'alternative')) {
      otherwise ||= alt.type === 'else_clause';
      const altCond = child(alt, 'condition');
      const body = child(alt, 'consequence') ?? child(alt, 'body');
      outs.push(
        this.branch(
          start,
          () => {
            if (altCond) {
              this.expr(altCond, fn);
            }
            if (body) {
              this.stmt(body, fn);
            }
          },
          body,
        ),
      );
    }
    if (!otherwise) {
      outs.push(start);
    }
    this.flow = joinFlows(outs, start);
  }

  private tryFlow(s: PyNode, fn: FuncInfo): void {
    const start = this.flow as Map<string, Vals>;
    const body = child(s, 'body');
    const afterBody = this.branch(start, () => body && this.stmt(body, fn), undefined);
    const outs: (Map<string, Vals> | undefined)[] = [body && leaves(body) ? undefined : afterBody];
    // A handler may start anywhere in the body: from what held before it or after it.
    const handlerStart = joinFlows([start, afterBody], start);
    let finallyClause: PyNode | undefined;
    for (const c of s.children) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        const block = c.children.find((x) => x.type === 'block');
        outs.push(this.branch(handlerStart, () => this.stmt(c, fn), block));
      } else if (c.type === 'else_clause') {
        const block = child(c, 'body');
        outs[0] = outs[0] && this.branch(outs[0], () => this.stmt(c, fn), block);
      } else if (c.type === 'finally_clause') {
        finallyClause = c;
      }
    }
    this.flow = joinFlows(outs, start);
    if (finallyClause) {
      this.stmt(finallyClause, fn);
    }
  }

  private rest(s: PyNode, fn: FuncInfo, skip: string[]): void {
    for (const c of s.children) {
      if (c.field && skip.includes(c.field)) {
        continue;
      }
      this.stmt(c, fn);
    }
  }

  private definition(def: PyNode, fn: FuncInfo, decorators: PyNode[]): void {
    const nameNode = child(def, 'name');
    const name = nameNode ? textOf(fn.mod.src, nameNode) : '';
    if (def.type === 'function_definition') {
      const target = defOf.get(def);
      if (!target) {
        return;
      }
      for (const d of decorators) {
        for (const c of d.children) {
          this.expr(c, fn);
        }
        if (this.cat.is('cachingDecorators', this.decoratorName(target, d))) {
          target.cacheDecorator = d;
        }
      }
      for (const p of target.params) {
        if (p.default) {
          this.expr(p.default, fn);
        }
      }
      if (fn.kind === 'classbody' && fn.cls) {
        return; // methods are reached through the class, not bound as names
      }
      this.bindName(name, [{ k: 'func', fn: target }], fn, def);
      return;
    }
    const cls = classOf.get(def);
    if (!cls) {
      return;
    }
    for (const d of decorators) {
      for (const c of d.children) {
        this.expr(c, fn);
      }
    }
    // The class body runs when the definition does: it is a call from here.
    fn.calls.push({ to: cls.body, site: { mod: fn.mod, node: def } });
    this.bindName(name, [{ k: 'class', cls }], fn, def);
  }

  private importStmt(s: PyNode, fn: FuncInfo): void {
    const src = fn.mod.src;
    if (s.type === 'import_statement') {
      for (const c of s.children) {
        const dotted = c.type === 'aliased_import' ? child(c, 'name') : c;
        const alias = c.type === 'aliased_import' ? child(c, 'alias') : undefined;
        if (!dotted) {
          continue;
        }
        const full = textOf(src, dotted);
        const local = this.loadModule(fn, full, 0, s);
        if (alias) {
          this.bindName(
            textOf(src, alias),
            [local ? { k: 'module', mod: local } : { k: 'ext', name: full }],
            fn,
            s,
          );
        } else {
          const top = full.split('.')[0];
          const topLocal = top === full ? local : this.resolve(fn.mod, top, 0);
          this.bindName(top, [topLocal ? { k: 'module', mod: topLocal } : { k: 'ext', name: top }], fn, s);
        }
      }
      return;
    }
    const modNode = child(s, 'module_name');
    if (!modNode) {
      return;
    }
    const raw = textOf(src, modNode);
    const level = raw.length - raw.replace(/^\.+/, '').length;
    const dotted = raw.slice(level);
    const local = dotted || level ? this.loadModule(fn, dotted, level, s) : undefined;
    for (const c of s.children) {
      if (c === modNode || (c.field !== 'name' && c.type !== 'wildcard_import')) {
        continue;
      }
      if (c.type === 'wildcard_import') {
        if (local) {
          this.readNamed(local, '*');
          for (const [k, v] of local.globals) {
            this.bindName(k, v, fn, s);
          }
        }
        continue;
      }
      const nameNode = c.type === 'aliased_import' ? child(c, 'name') : c;
      const aliasNode = c.type === 'aliased_import' ? child(c, 'alias') : c;
      if (!nameNode || !aliasNode) {
        continue;
      }
      const name = textOf(src, nameNode);
      let vals: Vals;
      if (local) {
        const sub = this.resolve(local, name, 1);
        vals = this.readGlobal(local, name) ?? (sub ? [{ k: 'module', mod: this.track(fn, sub, s) }] : []);
      } else if (!dotted) {
        const sub = this.loadModule(fn, name, level, s);
        vals = sub ? [{ k: 'module', mod: sub }] : [];
      } else {
        vals = [{ k: 'ext', name: `${dotted}.${name}` }];
      }
      this.bindName(textOf(src, aliasNode), vals, fn, s);
    }
  }

  private loadModule(fn: FuncInfo, dotted: string, level: number, s: PyNode): ModuleModel | undefined {
    const m = this.resolve(fn.mod, dotted, level);
    return m ? this.track(fn, m, s) : undefined;
  }

  /** Importing a module runs its top level: an edge from the importer, and the module joins the run. */
  private track(fn: FuncInfo, m: ModuleModel, s: PyNode): ModuleModel {
    if (m === fn.mod) {
      return m;
    }
    if (!this.mods.includes(m)) {
      this.onJoin?.(m);
      this.mods.push(m);
      this.enqueue(m);
    }
    fn.mod.imports.add(m);
    fn.calls.push({ to: m.body, site: { mod: fn.mod, node: s } });
    return m;
  }

  // ---------------------------------------------------------------- names and assignment

  private bindName(name: string, vals: Vals, fn: FuncInfo, node: PyNode): void {
    if (fn.globalsDeclared.has(name) && fn.kind !== 'module') {
      if (unionInto(this.globalVar(fn.mod, name), vals)) {
        this.globalGrew(fn.mod, name);
      }
      for (const v of vals.flatMap((x) => userValuesIn(x))) {
        this.events.push({
          k: 'store',
          how: 'global',
          value: v,
          fn,
          site: { mod: fn.mod, node },
          target: name,
        });
      }
      return;
    }
    if (fn.kind === 'module') {
      if (unionInto(this.globalVar(fn.mod, name), vals)) {
        this.globalGrew(fn.mod, name);
      }
      return;
    }
    let cur = fn.locals.get(name);
    if (!cur) {
      cur = [];
      fn.locals.set(name, cur);
    }
    unionInto(cur, vals);
    if (this.flow && fn === this.flowFn) {
      if (this.weak) {
        this.flow.delete(name);
      } else {
        this.flow.set(name, [...vals]);
      }
    }
    if (fn.kind === 'classbody' && fn.cls) {
      if (unionInto(this.attrVar(fn.cls, name), vals)) {
        this.grewNamed(fn.cls, name);
      }
    }
  }

  /** A module global, about to be written by the unit being evaluated. */
  private globalVar(mod: ModuleModel, name: string): Vals {
    this.wrote(this.namedCell(mod, name));
    let g = mod.globals.get(name);
    if (!g) {
      g = [];
      mod.globals.set(name, g);
    }
    return g;
  }

  /** A class attribute, about to be written by the unit being evaluated. */
  private attrVar(cls: ClassInfo, name: string): Vals {
    this.wrote(this.namedCell(cls, name));
    let a = cls.attrs.get(name);
    if (!a) {
      a = [];
      cls.attrs.set(name, a);
    }
    return a;
  }

  private lookup(name: string, fn: FuncInfo): Vals {
    const here = this.flow && fn === this.flowFn && !this.weak ? this.flow.get(name) : undefined;
    if (here) {
      return here;
    }
    for (let f: FuncInfo | undefined = fn; f; f = f.outer) {
      if (f.kind === 'module') {
        break;
      }
      // A class body's names are not visible inside its methods (Python scoping).
      if (f.kind === 'classbody' && f !== fn) {
        continue;
      }
      const v = f.locals.get(name);
      if (v) {
        return v;
      }
    }
    const g = this.readGlobal(fn.mod, name);
    if (g) {
      return g;
    }
    if (name === '__file__') {
      return [{ k: 'str', parts: [fn.mod.path] }];
    }
    return [];
  }

  private assign(target: PyNode, vals: Vals, fn: FuncInfo): void {
    const src = fn.mod.src;
    switch (target.type) {
      case 'identifier':
        this.bindName(nameOf(src, target), vals, fn, target);
        return;
      case 'attribute': {
        const objNode = child(target, 'object');
        const attrNode = child(target, 'attribute');
        if (!objNode || !attrNode) {
          return;
        }
        const attr = textOf(src, attrNode);
        for (const o of this.expr(objNode, fn)) {
          if (o.k === 'inst' || o.k === 'class') {
            if (unionInto(this.attrVar(o.cls, attr), vals)) {
              this.grewNamed(o.cls, attr);
            }
            this.storeEvents(vals, o.k === 'inst' ? 'self' : 'class', fn, target, o.cls, textOf(src, target));
          } else if (o.k === 'module') {
            if (unionInto(this.globalVar(o.mod, attr), vals)) {
              this.globalGrew(o.mod, attr);
            }
            this.storeEvents(vals, 'global', fn, target, undefined, textOf(src, target));
          }
        }
        return;
      }
      case 'subscript': {
        const objNode = child(target, 'value');
        this.expr(target, fn);
        const keyNode = child(target, 'subscript');
        for (const d of objNode ? this.expr(objNode, fn) : []) {
          if (d.k === 'dict') {
            // `kw["auth_policy"] = policy`: the assignment is where the key is set.
            const key = keyNode ? this.keyOf(keyNode, fn) : undefined;
            this.dictSet(d, key, vals, { mod: fn.mod, node: target.parent ?? target });
          }
        }
        if (objNode?.type === 'identifier') {
          const name = textOf(src, objNode);
          const isGlobal =
            fn.kind !== 'module' && !fn.locals.has(name) && this.readGlobal(fn.mod, name) !== undefined;
          if (isGlobal || fn.globalsDeclared.has(name)) {
            this.storeEvents(vals, 'global', fn, target, undefined, textOf(src, target));
          }
        } else if (objNode?.type === 'attribute') {
          this.keptIn(objNode, vals, fn, target);
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
        for (const c of target.children) {
          this.assign(c, [], fn);
        }
        return;
      case 'list_splat_pattern':
        if (target.children[0]) {
          this.assign(target.children[0], [], fn);
        }
        return;
      default:
        return;
    }
  }

  /** `self._tools[k] = v`, `self._tools.append(v)`: values kept in a container held by an object or class. */
  private keptIn(container: PyNode, vals: Vals, fn: FuncInfo, node: PyNode): void {
    const owner = child(container, 'object');
    for (const o of owner ? this.expr(owner, fn) : []) {
      if (o.k === 'inst' || o.k === 'class') {
        const text = textOf(fn.mod.src, node);
        this.storeEvents(vals, o.k === 'inst' ? 'self' : 'class', fn, node, o.cls, text);
      }
    }
  }

  private storeEvents(
    vals: Vals,
    how: 'self' | 'class' | 'global',
    fn: FuncInfo,
    node: PyNode,
    cls: ClassInfo | undefined,
    target: string,
  ): void {
    for (const { value, via } of vals.flatMap((x) => this.kept(x))) {
      this.events.push({ k: 'store', how, value, fn, site: { mod: fn.mod, node }, cls, target, via });
    }
  }

  /**
   * The user-authorized values keeping `v` keeps: itself, what lists and dicts hold (a few levels deep), and, through
   * `via`, what a holder object or a closure over the enclosing function's locals keeps. Returned plain data (a
   * user name) is none of these.
   */
  private kept(v: Value, depth = 0): { value: ClientValue | ConsumerValue; via?: Site }[] {
    if (isUserValue(v)) {
      return [{ value: v }];
    }
    if (v.k === 'holder') {
      return [{ value: v.held, via: v.site }];
    }
    if (v.k === 'func') {
      return this.captured(v.fn).map((value) => ({ value, via: { mod: v.fn.mod, node: v.fn.node } }));
    }
    if (depth >= 4 || (v.k !== 'list' && v.k !== 'dict')) {
      return [];
    }
    const inner = v.k === 'list' ? v.items : [...v.entries.values(), v.rest];
    const out = new Map<ClientValue | ConsumerValue, { value: ClientValue | ConsumerValue; via?: Site }>();
    for (const x of inner.flat().flatMap((y) => this.kept(y, depth + 1))) {
      if (!out.has(x.value)) {
        out.set(x.value, x);
      }
    }
    return [...out.values()];
  }

  /** The user-authorized values a nested function reads from the locals of the functions around it. */
  private captured(inner: FuncInfo): (ClientValue | ConsumerValue)[] {
    const out: (ClientValue | ConsumerValue)[] = [];
    if (!inner.outer || inner.outer.kind === 'module') {
      return out;
    }
    for (const name of freeNames(inner)) {
      for (let f: FuncInfo | undefined = inner.outer; f && f.kind !== 'module'; f = f.outer) {
        const vals = f.locals.get(name);
        if (vals) {
          out.push(...vals.filter(isUserValue));
          break;
        }
      }
    }
    return out;
  }

  private iterate(vals: Vals): Vals {
    const out: Vals = [];
    for (const v of vals) {
      if (v.k === 'list') {
        for (const item of v.items) {
          unionInto(out, item);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- expressions

  expr(n: PyNode, fn: FuncInfo): Vals {
    this.tick();
    const src = fn.mod.src;
    switch (n.type) {
      case 'identifier':
        return this.lookup(nameOf(src, n), fn);
      case 'string':
        return [this.stringValue(n, fn)];
      case 'concatenated_string': {
        let acc: Value = { k: 'str', parts: [''], site: { mod: fn.mod, node: n } };
        for (const c of n.children) {
          acc = concatStrings(acc, this.stringValue(c, fn), { mod: fn.mod, node: n });
        }
        return [acc];
      }
      case 'integer':
      case 'float':
      case 'none':
        return [{ k: 'const' }];
      case 'true':
      case 'false':
        return [{ k: 'bool', value: n.type === 'true' }];
      case 'list':
      case 'tuple':
      case 'set':
        return [
          {
            k: 'list',
            items: n.children.map((c) =>
              c.type === 'list_splat' ? (this.expr(c, fn), []) : this.expr(c, fn),
            ),
            site: { mod: fn.mod, node: n },
          },
        ];
      case 'dictionary':
        return [this.dictLiteral(n, fn)];
      case 'parenthesized_expression':
      case 'await':
      case 'expression_list':
        return n.children.length === 1 && n.children[0] ? this.expr(n.children[0], fn) : this.all(n, fn);
      case 'conditional_expression': {
        const out: Vals = [];
        n.children.forEach((c, i) => {
          const v = this.expr(c, fn);
          if (i !== 1) {
            unionInto(out, v);
          }
        });
        return out;
      }
      case 'boolean_operator': {
        const out: Vals = [];
        for (const c of n.children) {
          unionInto(out, this.expr(c, fn));
        }
        return out;
      }
      case 'binary_operator':
        return this.binary(n, fn);
      case 'call':
        return this.call(n, fn);
      case 'subscript': {
        // `ResponsesAgent["A"]`, `Base[int]`: a parametrised class is the class (bases, aliases, calls).
        const [value = []] = n.children.map((c) => this.expr(c, fn));
        const out = value.filter((v) => v.k === 'ext' || v.k === 'class');
        const keyNode = child(n, 'subscript');
        const key = keyNode && value.some((v) => v.k === 'dict') ? this.keyOf(keyNode, fn) : undefined;
        for (const d of key === undefined ? [] : value) {
          if (d.k === 'dict') {
            unionInto(out, this.dictRead(d).entries.find((e) => e.key === key)?.vals ?? []);
          }
        }
        return out;
      }
      case 'attribute':
        return this.attribute(n, fn);
      case 'assignment':
      case 'augmented_assignment': {
        const right = child(n, 'right');
        const left = child(n, 'left');
        let vals = right ? this.expr(right, fn) : [];
        if (n.type === 'augmented_assignment' && left) {
          const prev = this.expr(left, fn);
          vals = prev.length && vals.length ? [concatStrings(prev[0], vals[0])] : [];
        }
        if (left) {
          this.assign(left, vals, fn);
        }
        return vals;
      }
      case 'named_expression': {
        const value = child(n, 'value');
        const vals = value ? this.expr(value, fn) : [];
        const name = child(n, 'name');
        if (name) {
          this.assign(name, vals, fn);
        }
        return vals;
      }
      case 'lambda': {
        const target = lambdaOf.get(n);
        return target ? [{ k: 'func', fn: target }] : [];
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        for (const c of n.children) {
          if (c.type === 'for_in_clause') {
            this.stmt(c, fn);
          } else if (c.type === 'if_clause') {
            this.all(c, fn);
          }
        }
        const body = child(n, 'body');
        const vals = body ? this.expr(body, fn) : [];
        return [{ k: 'list', items: [vals], site: { mod: fn.mod, node: n } }];
      }
      default:
        return this.all(n, fn);
    }
  }

  /** Evaluates every child for its effects; the value is unknown. */
  private all(n: PyNode, fn: FuncInfo): Vals {
    for (const c of n.children) {
      if (c.type === 'block') {
        this.block(c, fn);
      } else {
        this.expr(c, fn);
      }
    }
    return [];
  }

  private stringValue(n: PyNode, fn: FuncInfo): Value {
    const src = fn.mod.src;
    if (n.type !== 'string') {
      return UNKNOWN_STR;
    }
    // A plain literal's value depends only on its text and module: kept on the node, across runs too.
    const cached = n.lit as Value | undefined;
    if (cached?.k === 'str' && cached.site?.mod === fn.mod) {
      return cached;
    }
    const value = this.stringValueOf(n, fn, src);
    if (!n.children.some((c) => c.type === 'interpolation')) {
      n.lit = value;
    }
    return value;
  }

  private stringValueOf(n: PyNode, fn: FuncInfo, src: string): Value {
    const parts: (string | null)[] = [];
    let raw = false;
    for (const c of n.children) {
      if (c.type === 'string_start') {
        raw = /[rR]/.test(textOf(src, c));
      } else if (c.type === 'string_content') {
        parts.push(textOf(src, c));
      } else if (c.type === 'escape_sequence') {
        parts.push(raw ? textOf(src, c) : unescape(textOf(src, c)));
      } else if (c.type === 'interpolation') {
        const e = child(c, 'expression');
        const s = e ? firstKnownString(this.expr(e, fn)) : undefined;
        parts.push(s ?? null);
      }
    }
    return { k: 'str', parts: mergeParts(parts.length ? parts : ['']), site: { mod: fn.mod, node: n } };
  }

  private binary(n: PyNode, fn: FuncInfo): Vals {
    const left = child(n, 'left');
    const right = child(n, 'right');
    const op = child(n, 'operator');
    const lv = left ? this.expr(left, fn) : [];
    const rv = right ? this.expr(right, fn) : [];
    const opText = op ? textOf(fn.mod.src, op) : '';
    // An unknown left side of `+` (`w.config.host + "/api/..."`) is an unknown string, unless it is a list.
    const l = lv.find((v) => v.k === 'str') ?? (lv.some((v) => v.k === 'list') ? undefined : UNKNOWN_STR);
    const r = rv.find((v) => v.k === 'str') ?? UNKNOWN_STR;
    if (opText === '+' && l) {
      return [concatStrings(l, r, { mod: fn.mod, node: n })];
    }
    if (opText === '+' && lv.some((v) => v.k === 'list')) {
      const items: Vals[] = [];
      for (const v of [...lv, ...rv]) {
        if (v.k === 'list') {
          items.push(...v.items);
        }
      }
      return [{ k: 'list', items, site: { mod: fn.mod, node: n } }];
    }
    if (opText === '/') {
      // pathlib: Path(a) / "agent.py"
      return [concatStrings(concatStrings(l ?? UNKNOWN_STR, str('/')), r, { mod: fn.mod, node: n })];
    }
    if (opText === '%') {
      return [UNKNOWN_STR];
    }
    return [];
  }

  private attribute(n: PyNode, fn: FuncInfo): Vals {
    const objNode = child(n, 'object');
    const attrNode = child(n, 'attribute');
    if (!objNode || !attrNode) {
      return [];
    }
    const attr = nameOf(fn.mod.src, attrNode);
    const out: Vals = [];
    for (const o of this.expr(objNode, fn)) {
      switch (o.k) {
        case 'ext': {
          const name = `${o.name}.${attr}`;
          out.push(
            this.cat.isCredential(name)
              ? { k: 'cred', name, site: { mod: fn.mod, node: n } }
              : { k: 'ext', name },
          );
          break;
        }
        case 'module':
          unionInto(out, this.readGlobal(o.mod, attr) ?? []);
          break;
        case 'client':
          out.push({ k: 'attr', base: o, path: [attr] });
          break;
        case 'attr':
          out.push({ k: 'attr', base: o.base, path: [...o.path, attr] });
          break;
        case 'inst':
        case 'class':
          unionInto(out, this.member(o.cls, attr, o.k === 'inst', fn, n));
          break;
        case 'str':
          if (attr === 'parent') {
            // Path(__file__).parent: the folder is known when the path is.
            out.push(dirnameOf(o));
          }
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** `obj.attr` on a local class: data attributes, methods (bound), properties (called). */
  private member(
    cls: ClassInfo,
    attr: string,
    onInstance: boolean,
    fn: FuncInfo,
    node: PyNode,
    seen = new Set<ClassInfo>(),
  ): Vals {
    if (seen.has(cls)) {
      return [];
    }
    seen.add(cls);
    const method = cls.methods.get(attr);
    if (method) {
      const isProperty = method.decorators.some((d) => /property$/.test(textOf(cls.mod.src, d)));
      if (isProperty && onInstance) {
        fn.calls.push({ to: method, site: { mod: fn.mod, node } });
        this.read(method.returns);
        return [...method.returns];
      }
      return [onInstance ? { k: 'bound', fn: method, self: cls } : { k: 'func', fn: method }];
    }
    this.readNamed(cls, attr);
    const data = cls.attrs.get(attr);
    if (data?.length) {
      return data;
    }
    this.readNamed(cls, BASES);
    for (const b of cls.localBases) {
      const v = this.member(b, attr, onInstance, fn, node, seen);
      if (v.length) {
        return v;
      }
    }
    return [];
  }

  // ---------------------------------------------------------------- calls

  private args(n: PyNode | undefined, fn: FuncInfo): CallArgs {
    const a = argsEmpty();
    for (const c of n?.children ?? []) {
      if (c.type === 'keyword_argument') {
        const name = child(c, 'name');
        const value = child(c, 'value');
        if (name) {
          const key = nameOf(fn.mod.src, name);
          if ((a.kw as unknown) === NO_KEYWORDS) {
            a.kw = new Map();
            a.kwNodes = new Map();
          }
          a.kw.set(key, value ? this.expr(value, fn) : []);
          a.kwNodes.set(key, c);
        }
      } else if (c.type === 'dictionary_splat') {
        this.spreadArgs(a, this.expr(c.children[c.children.length - 1] ?? c, fn), fn);
      } else if (c.type === 'list_splat') {
        this.expr(c, fn);
        a.splat = true;
      } else {
        a.pos.push(this.expr(c, fn));
        a.posNodes.push(c);
      }
    }
    return a;
  }

  /** `f(**kw)`: the keys of the dicts `kw` may be become keywords; an unknown or open dict makes the call a splat. */
  private spreadArgs(a: CallArgs, vals: Vals, fn: FuncInfo): void {
    const dicts = vals.filter((v): v is DictValue => v.k === 'dict');
    a.splat ||= !dicts.length;
    for (const d of dicts) {
      const { entries, open } = this.dictRead(d);
      a.splat ||= open;
      for (const e of entries) {
        if ((a.kw as unknown) === NO_KEYWORDS) {
          a.kw = new Map();
          a.kwNodes = new Map();
        }
        const cur = a.kw.get(e.key);
        if (cur) {
          unionInto(cur, e.vals);
        } else {
          a.kw.set(e.key, [...e.vals]);
        }
        // Locations and edits read kwNodes in the calling module: a dict from another one only gives `spread`.
        const here = e.at.find((s) => s.mod === fn.mod);
        if (here && !a.kwNodes.has(e.key)) {
          a.kwNodes.set(e.key, here.node);
        }
        getOrAdd((a.spread ??= new Map()), e.key, () => []).push(...e.at);
      }
    }
  }

  // ---------------------------------------------------------------- dicts

  /** One dict object per literal or `dict(...)` node, so keys added later reach it across passes. */
  private readonly dicts = new WeakMap<PyNode, DictValue>();

  private dictAt(n: PyNode, fn: FuncInfo): DictValue {
    let d = this.dicts.get(n);
    if (!d || d.site.mod !== fn.mod) {
      d = {
        k: 'dict',
        site: { mod: fn.mod, node: n },
        entries: new Map(),
        setAt: new Map(),
        keys: [],
        rest: [],
      };
      this.dicts.set(n, d);
    }
    return d;
  }

  private dictLiteral(n: PyNode, fn: FuncInfo): DictValue {
    const d = this.dictAt(n, fn);
    for (const c of n.children) {
      if (c.type === 'pair') {
        const keyNode = child(c, 'key');
        const valueNode = child(c, 'value');
        const key = keyNode ? this.keyOf(keyNode, fn) : undefined;
        this.dictSet(d, key, valueNode ? this.expr(valueNode, fn) : [], { mod: fn.mod, node: c });
      } else if (c.type === 'dictionary_splat') {
        this.spreadDict(d, this.expr(c.children[c.children.length - 1] ?? c, fn), { mod: fn.mod, node: c });
      } else {
        this.expr(c, fn);
      }
    }
    return d;
  }

  /** `dict(base, name="agent", **more)` and `d.update(...)`: a positional dict, then the keywords. */
  private dictFromArgs(d: DictValue, args: CallArgs, fn: FuncInfo, site: Site): void {
    if (args.pos[0]) {
      this.spreadDict(d, args.pos[0], site);
    }
    for (const [key, vals] of args.kw) {
      const node = args.kwNodes.get(key);
      const at = args.spread?.get(key) ?? (node ? [{ mod: fn.mod, node }] : [site]);
      at.forEach((s) => this.dictSet(d, key, vals, s));
    }
    if (args.splat) {
      this.dictSet(d, undefined, [], site);
    }
  }

  /** `{**other}`: the entries of the dicts `vals` may be; anything else opens `d`. */
  private spreadDict(d: DictValue, vals: Vals, site: Site): void {
    const dicts = vals.filter((v): v is DictValue => v.k === 'dict' && v !== d);
    for (const src of dicts) {
      const { entries, open } = this.dictRead(src);
      for (const e of entries) {
        e.at.forEach((s) => this.dictSet(d, e.key, e.vals, s));
      }
      if (open) {
        this.dictSet(d, undefined, src.rest, site);
      }
    }
    if (!dicts.length) {
      this.dictSet(d, undefined, [], site);
    }
  }

  /** A key written as a single known string; undefined otherwise. */
  private keyOf(n: PyNode, fn: FuncInfo): string | undefined {
    const v = this.expr(n, fn);
    return v.length === 1 ? knownString(v[0]) : undefined;
  }

  /** Sets `key` (undefined: a key not known, which opens the dict) to `vals` at `at`. */
  private dictSet(d: DictValue, key: string | undefined, vals: Vals, at: Site): void {
    if (key === undefined) {
      this.grow(d.rest, vals);
      this.grow(d.keys, [UNKNOWN_STR]);
      return;
    }
    this.grow(
      getOrAdd(d.entries, key, () => []),
      vals,
    );
    this.grow(d.keys, [str(key)]);
    const sites = getOrAdd(d.setAt, key, () => []);
    if (!sites.some((s) => s.node === at.node)) {
      sites.push(at);
    }
  }

  /** The known entries of a dict (read, so their growth re-runs the reader), and whether it is open. */
  private dictRead(d: DictValue): { entries: { key: string; vals: Vals; at: Site[] }[]; open: boolean } {
    this.read(d.keys);
    const entries: { key: string; vals: Vals; at: Site[] }[] = [];
    let open = false;
    for (const v of d.keys) {
      const key = knownString(v);
      if (key === undefined) {
        open = true;
        continue;
      }
      const vals = d.entries.get(key) ?? [];
      this.read(vals);
      entries.push({ key, vals, at: (d.setAt.get(key) ?? []).filter(inTree) });
    }
    return { entries, open };
  }

  /** Writes into a cell the unit being evaluated owns a share of, telling its readers when it grew. */
  private grow(cell: Vals, vals: Vals): void {
    this.wrote(cell);
    if (unionInto(cell, vals)) {
      this.grew(cell);
    }
  }

  /** The slot `append`/`extend`/`insert` add to, one per list value so the fixed point stays finite. */
  private readonly appended = new WeakMap<Value, Vals>();

  private call(n: PyNode, fn: FuncInfo): Vals {
    const calleeNode = child(n, 'function');
    const args = this.args(child(n, 'arguments'), fn);
    if (!calleeNode) {
      return [];
    }
    // `tools.append(tool)`: the list value gains the item (the receiver is a plain name, so reading it again below
    // has no effect of its own).
    const objNode = calleeNode.type === 'attribute' ? child(calleeNode, 'object') : undefined;
    if (objNode?.type === 'identifier' || objNode?.type === 'attribute') {
      const method = nameOf(fn.mod.src, child(calleeNode, 'attribute') ?? calleeNode);
      const added =
        method === 'append'
          ? args.pos[0]
          : method === 'insert'
            ? args.pos[1]
            : method === 'extend'
              ? this.iterate(args.pos[0] ?? [])
              : undefined;
      if (added && objNode.type === 'attribute') {
        // `self._tools.append(tool)`: kept in a container the object holds.
        this.keptIn(objNode, added, fn, n);
      }
      if (method === 'update' || method === 'setdefault') {
        for (const d of this.expr(objNode, fn)) {
          if (d.k !== 'dict') {
            continue;
          }
          if (method === 'update') {
            this.dictFromArgs(d, args, fn, { mod: fn.mod, node: n });
          } else {
            const key = args.posNodes[0] ? this.keyOf(args.posNodes[0], fn) : undefined;
            this.dictSet(d, key, args.pos[1] ?? [], { mod: fn.mod, node: n });
          }
        }
      }
      for (const o of added && objNode.type === 'identifier' ? this.expr(objNode, fn) : []) {
        if (o.k === 'list' && added) {
          let slot = this.appended.get(o);
          if (!slot) {
            slot = [];
            this.appended.set(o, slot);
            o.items.push(slot);
          }
          unionInto(slot, added);
        }
      }
    }
    const site: Site = { mod: fn.mod, node: n };
    const out: Vals = [];
    for (const c of this.expr(calleeNode, fn)) {
      unionInto(out, this.callValue(c, args, fn, site));
    }
    // str(x) keeps x's string value; dict(...) is a dict (the length test spares a substring per call).
    if (calleeNode.type === 'identifier' && calleeNode.end - calleeNode.start <= 4 && !out.length) {
      const name = textOf(fn.mod.src, calleeNode);
      if (name === 'str' && args.pos[0]) {
        unionInto(out, args.pos[0]);
      } else if (name === 'dict') {
        const d = this.dictAt(n, fn);
        this.dictFromArgs(d, args, fn, site);
        out.push(d);
      }
    }
    return out;
  }

  private callValue(c: Value, args: CallArgs, fn: FuncInfo, site: Site): Vals {
    switch (c.k) {
      case 'func':
        return this.callLocal(c.fn, args, fn, site, undefined);
      case 'bound':
        return this.callLocal(c.fn, args, fn, site, { k: 'inst', cls: c.self });
      case 'class': {
        const init = this.findMethod(c.cls, '__init__');
        fn.calls.push({ to: c.cls.body, site });
        if (init) {
          this.callLocal(init, args, fn, site, { k: 'inst', cls: c.cls });
          return [{ k: 'inst', cls: c.cls }];
        }
        // No `__init__` of its own (a pydantic model, a dataclass): the object keeps its arguments as fields.
        const held = [...args.pos, ...args.kw.values()].flatMap((vals) => vals.flatMap((v) => this.kept(v)));
        const holders = [...new Set(held.map((h) => h.value))].map((v): Value => ({
          k: 'holder',
          held: v,
          site,
        }));
        return [{ k: 'inst', cls: c.cls }, ...holders];
      }
      case 'ext':
        return this.callExternal(c.name, args, fn, site);
      case 'attr':
        return this.callOnClient(c.base, c.path, args, fn, site);
      default:
        return [];
    }
  }

  private findMethod(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): FuncInfo | undefined {
    if (seen.has(cls)) {
      return undefined;
    }
    seen.add(cls);
    const own = cls.methods.get(name);
    if (own) {
      return own;
    }
    this.readNamed(cls, BASES);
    return cls.localBases.map((b) => this.findMethod(b, name, seen)).find(Boolean);
  }

  private callLocal(
    target: FuncInfo,
    args: CallArgs,
    fn: FuncInfo,
    site: Site,
    self: Value | undefined,
  ): Vals {
    fn.calls.push({ to: target, site });
    const params = target.params;
    let i = 0;
    if (target.kind === 'method' && params.length && self) {
      i = 1;
    }
    const bind = (name: string, vals: Vals) => {
      let cur = target.paramVals.get(name);
      if (!cur) {
        cur = [];
        target.paramVals.set(name, cur);
      }
      this.wrote(cur);
      if (unionInto(cur, vals)) {
        this.grew(cur);
      }
    };
    for (const vals of args.pos) {
      const p = params[i];
      if (!p || p.kind !== 'normal') {
        break;
      }
      bind(p.name, vals);
      i++;
    }
    for (const [k, vals] of args.kw) {
      if (params.some((p) => p.name === k)) {
        bind(k, vals);
      }
    }
    this.read(target.returns);
    return [...target.returns];
  }

  private callExternal(name: string, args: CallArgs, fn: FuncInfo, site: Site): Vals {
    const cat = this.cat;
    if (cat.isCredential(name)) {
      return [{ k: 'cred', name, site }];
    }
    const clientRow = cat.userClient(name);
    if (clientRow) {
      const wrong = this.wrongKeywords(clientRow, args, fn, site);
      const cred = [clientRow.credentialKeyword, ...wrong]
        .flatMap((k) => args.kw.get(k) ?? [])
        .some((v) => v.k === 'cred');
      const viaConfig = clientRow.configKeyword
        ? (args.kw.get(clientRow.configKeyword) ?? []).some(
            (v) => v.k === 'client' && v.kind === 'config' && v.user,
          )
        : false;
      const user = cred || viaConfig;
      const own = !user && cat.catalog.ownCredentialKeywords.some((k) => args.kw.has(k));
      const value: ClientValue = { k: 'client', kind: clientRow.clientKind, user, row: clientRow, site };
      if (own) {
        value.own = true;
      }
      this.events.push({ k: 'client', value, fn, site, args });
      return [value];
    }
    const consumerRow = cat.consumer(name);
    if (consumerRow) {
      const wrong = this.wrongKeywords(consumerRow, args, fn, site).flatMap((k) => args.kw.get(k) ?? []);
      const clientVals = argOf(args, consumerRow.clientParam.keyword, consumerRow.clientParam.position);
      // A user credential given to the wrong keyword (`ChatDatabricks(credentials_strategy=...)`) means a user client.
      const given = [...clientVals, ...wrong];
      const user = given.some((v) => holdsUserValue(v) || (v.k === 'cred' && !consumerRow.holdsTools));
      // A helper given a user client in one call and a system client (or None) in another builds both: one value
      // each, so the user one needs scopes and the system one resources.
      const systemVals = given.filter((v) => (v.k === 'client' && !v.user) || v.k === 'const');
      const system = systemVals.length > 0;
      // Every non-user client it gets carries credentials of its own: the non-user value needs no declared resource.
      // (None or a default-chain client among them runs with the agent's identity, so its resources still count.)
      const own = system && systemVals.every((v) => v.k === 'client' && v.own);
      const out: Vals = [];
      for (const u of user && system && !consumerRow.holdsTools ? [true, false] : [user]) {
        const value: ConsumerValue = { k: 'consumer', row: consumerRow, user: u, site, args };
        if (own && !u) {
          value.own = true;
        }
        this.events.push({ k: 'consumer', value, fn, site });
        out.push(value);
      }
      return out;
    }
    if (cat.is('logModel', name)) {
      this.events.push({ k: 'logModel', name, fn, site, args });
      // The logged agent joins the run (no call edge: logging does not execute it).
      const logged = this.loadLogged?.(fn.mod, name, args);
      if (logged && !this.mods.includes(logged)) {
        this.onJoin?.(logged);
        this.mods.push(logged);
        this.enqueue(logged);
      }
      return [];
    }
    if (cat.is('setModel', name)) {
      this.events.push({ k: 'setModel', fn, site, args });
      return [];
    }
    const policy = cat.policy(name);
    if (policy) {
      this.wrongKeywords(policy, args, fn, site);
    }
    const pathy = pathFunction(name);
    if (pathy) {
      return [pathy(args)];
    }
    for (const vals of [...args.pos, ...args.kw.values()]) {
      for (const v of vals) {
        if (isUserValue(v)) {
          this.events.push({ k: 'opaque', callee: name, value: v, fn, site });
        }
      }
    }
    return [{ k: 'extcall', name, site, args }];
  }

  /**
   * Reports the wrong keywords of a known construct: those its row lists, and any other credential keyword it does
   * not take (unless its signature is open). Returns the keywords reported, whose values stand for the right one.
   */
  private wrongKeywords(
    row: UserClientRow | ConsumerRow | PolicyRow,
    args: CallArgs,
    fn: FuncInfo,
    site: Site,
  ): string[] {
    const right = rightKeyword(row);
    const listed = row.wrongKeywords ?? {};
    // Policy classes and open signatures: only the listed wrong keywords.
    const accepted =
      'keyword' in row || row.openKeywords || ('holdsTools' in row && row.holdsTools)
        ? undefined
        : acceptedKeywords(row);
    const found: string[] = [];
    for (const [kw, node] of args.kwNodes) {
      let why = listed[kw];
      let confidence: 'confirmed' | 'unconfirmed' = 'confirmed';
      if (why === undefined) {
        if (!accepted || !this.cat.catalog.credentialKeywords.includes(kw) || accepted.includes(kw)) {
          continue;
        }
        // Inferred from the documented signature, not a confirmed TypeError.
        why = `\`${leafOf(row.callees[0])}\` does not take \`${kw}=\` (its credential parameter is \`${right}=\`)`;
        confidence = 'unconfirmed';
      }
      found.push(kw);
      const cred = (args.kw.get(kw) ?? []).find((v) => v.k === 'cred');
      const wrap = cred && 'clientParam' in row ? this.cat.clientForCredential(cred.name) : undefined;
      this.events.push({ k: 'wrongKeyword', row, keyword: kw, why, right, node, fn, site, confidence, wrap });
    }
    return found;
  }

  private callOnClient(base: ClientValue, path: string[], args: CallArgs, fn: FuncInfo, site: Site): Vals {
    const row = this.cat.methods(base.kind, path);
    if (row) {
      this.events.push({ k: 'method', row, client: base, fn, site, args });
    }
    if (base.kind === 'vectorSearch' && path.join('.') === 'get_index') {
      // The index object keeps querying as the same client.
      return [{ k: 'attr', base, path: ['<index>'] }];
    }
    return [];
  }
}

/** The keyword a construct's credential (or declarations) go in. */
function rightKeyword(row: UserClientRow | ConsumerRow | PolicyRow): string {
  return 'keyword' in row
    ? row.keyword
    : 'credentialKeyword' in row
      ? row.credentialKeyword
      : (row.clientParam.keyword ?? '');
}

/** The credential keywords a construct takes. */
function acceptedKeywords(row: UserClientRow | ConsumerRow): string[] {
  return 'credentialKeyword' in row
    ? [row.credentialKeyword, row.configKeyword ?? '']
    : [row.clientParam.keyword ?? '', ...(row.clientParam.aliases ?? [])];
}

function leafOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** A user value, or a list/tuple holding one (`tools=[tool]`, `ToolNode([tool])`), a few levels deep. */
function holdsUserValue(v: Value): boolean {
  return userValuesIn(v).length > 0;
}

/** The user values a value is or holds in lists/tuples (`self.tools = [tool]` keeps `tool`), a few levels deep. */
function userValuesIn(v: Value, depth = 0): (ClientValue | ConsumerValue)[] {
  if (isUserValue(v)) {
    return [v];
  }
  if (v.k !== 'list' || depth >= 4) {
    return [];
  }
  return [...new Set(v.items.flatMap((vals) => vals.flatMap((x) => userValuesIn(x, depth + 1))))];
}

const freeNameCache = new WeakMap<PyNode, string[]>();

/** Names a function reads that are not its parameters or assigned in it: what it may take from enclosing scopes. */
function freeNames(fn: FuncInfo): string[] {
  const body = fn.body;
  if (!body) {
    return [];
  }
  let names = freeNameCache.get(body);
  if (!names) {
    const src = fn.mod.src;
    const read = new Set<string>();
    const bound = new Set(fn.params.map((p) => p.name));
    const walk = (n: PyNode) => {
      if (n.type === 'identifier') {
        // `obj.attr` and `f(key=...)` name no variable.
        if (n.field === 'attribute' || (n.field === 'name' && n.parent?.type === 'keyword_argument')) {
          return;
        }
        (n.field === 'left' && n.parent?.type === 'assignment' ? bound : read).add(textOf(src, n));
        return;
      }
      n.children.forEach(walk);
    };
    walk(body);
    names = [...read].filter((r) => !bound.has(r));
    freeNameCache.set(body, names);
  }
  return names;
}

/** A block that never falls through: it ends in return, raise, continue or break (or an if whose branches all do). */
function leaves(block: PyNode): boolean {
  const last = block.children.filter((c) => c.type !== 'comment').pop();
  if (!last) {
    return false;
  }
  if (
    last.type === 'return_statement' ||
    last.type === 'raise_statement' ||
    last.type === 'continue_statement' ||
    last.type === 'break_statement'
  ) {
    return true;
  }
  if (last.type === 'if_statement') {
    const alts = childrenOf(last, 'alternative');
    const consequence = child(last, 'consequence');
    return (
      alts.some((a) => a.type === 'else_clause') &&
      !!consequence &&
      leaves(consequence) &&
      alts.every((a) => {
        const b = child(a, 'consequence') ?? child(a, 'body');
        return !!b && leaves(b);
      })
    );
  }
  return false;
}

/**
 * The state after paths meet: each name holds the union of what the paths that fall through give it; a name one of
 * them does not track reads the function's union instead. No path falls through: `start` (the code after is dead).
 */
function joinFlows(paths: (Map<string, Vals> | undefined)[], start: Map<string, Vals>): Map<string, Vals> {
  const live = paths.filter((p): p is Map<string, Vals> => !!p);
  if (!live.length) {
    return start;
  }
  const out = new Map<string, Vals>();
  for (const [name, vals] of live[0]) {
    if (live.every((p) => p.has(name))) {
      const joined = [...vals];
      live.slice(1).forEach((p) => unionInto(joined, p.get(name) ?? []));
      out.set(name, joined);
    }
  }
  return out;
}

/** Whether a node is still in its module's tree (a dict may remember where code that is gone set a key). */
function inTree(s: Site): boolean {
  let n = s.node;
  while (n.parent) {
    n = n.parent;
  }
  return n === s.mod.root;
}

/** The value of an argument given by keyword or position. */
export function argOf(args: CallArgs, keyword?: string, position?: number, aliases: string[] = []): Vals {
  for (const k of [keyword, ...aliases]) {
    if (k && args.kw.has(k)) {
      return args.kw.get(k) ?? [];
    }
  }
  if (position !== undefined && args.pos[position]) {
    return args.pos[position];
  }
  return [];
}

/** The node of an argument given by keyword or position (the keyword_argument's value, or the positional node). */
export function argNode(
  args: CallArgs,
  keyword?: string,
  position?: number,
  aliases: string[] = [],
): PyNode | undefined {
  for (const k of [keyword, ...aliases]) {
    const kw = k ? args.kwNodes.get(k) : undefined;
    if (kw) {
      // A keyword argument or a dict pair has a value; a subscript assignment (`kw["k"] = v`) its right side.
      return child(kw, 'value') ?? child(kw, 'right');
    }
  }
  return position !== undefined ? args.posNodes[position] : undefined;
}

/** Path helpers whose result is a string we can follow: os.path.join, pathlib.Path, os.getcwd... */
function pathFunction(name: string): ((args: CallArgs) => Value) | undefined {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (name === 'os.path.join' || name === 'posixpath.join') {
    return (args) => {
      let acc: Value | undefined;
      for (const vals of args.pos) {
        const v = vals.find((x) => x.k === 'str') ?? UNKNOWN_STR;
        acc = acc ? concatStrings(concatStrings(acc, str('/')), v) : v;
      }
      return acc ?? UNKNOWN_STR;
    };
  }
  if (name.startsWith('pathlib.') && (leaf === 'Path' || leaf === 'PurePath' || leaf === 'PosixPath')) {
    return (args) => {
      let acc: Value | undefined;
      for (const vals of args.pos) {
        const v = vals.find((x) => x.k === 'str') ?? UNKNOWN_STR;
        acc = acc ? concatStrings(concatStrings(acc, str('/')), v) : v;
      }
      return acc ?? str('.');
    };
  }
  if (name === 'os.path.dirname') {
    return (args) => dirnameOf(args.pos[0]?.find((v) => v.k === 'str'));
  }
  if (name === 'os.path.abspath' || name === 'os.path.realpath') {
    // Known only for an absolute path (`__file__`): a relative one depends on the working directory.
    return (args) => {
      const s = knownString(args.pos[0]?.find((v) => v.k === 'str'));
      return s !== undefined && path.isAbsolute(s) ? str(s) : UNKNOWN_STR;
    };
  }
  if (name === 'os.getcwd' || name === 'os.environ.get' || name === 'os.getenv') {
    return () => UNKNOWN_STR;
  }
  return undefined;
}

/** The folder of a path value, when the whole path is known (`os.path.dirname(__file__)`). */
function dirnameOf(v: Value | undefined): Value {
  const s = knownString(v);
  // Only a path with a folder part: Python gives '' for a bare name, which would join differently.
  return s !== undefined && /[\\/]/.test(s) ? str(path.dirname(s)) : UNKNOWN_STR;
}

function unescape(esc: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '0': '\0',
  };
  const c = esc[1];
  if (c && simple[c] !== undefined && esc.length === 2) {
    return simple[c];
  }
  if (c === 'x' || c === 'u' || c === 'U') {
    const code = parseInt(esc.slice(2), 16);
    return Number.isFinite(code) ? String.fromCodePoint(code) : esc;
  }
  return esc.length === 2 && c === '\n' ? '' : esc;
}

export { childrenOf };
