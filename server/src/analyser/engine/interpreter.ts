// The interpreter: a worklist over units (statements and functions) to a fixed point, and delete-and-rederive on edits.
import type { CatalogIndex } from '../../catalog/lookup';
import { addTo } from '../collections';
import type { PyNode } from '../python/tree';
import {
  BASES,
  type Cell,
  type Cells,
  type LoggedModuleLoader,
  type ModuleResolver,
  TimeBudgetExceeded,
} from './cells';
import { ClassBodies, membersOf } from './classBodies';
import type { Event } from './events';
import { classOf, type CallEdge, type ClassInfo, type FuncInfo, type ModuleModel } from './program';
import type { Vals } from './values';

export { type LoggedModuleLoader, type ModuleResolver, TimeBudgetExceeded } from './cells';

/** Passes over dirty functions; unions are bounded, so this is a guard, not the usual exit. */
const MAX_PASSES = 40;

/**
 * A statement evaluated (and evaluated again) on its own, like a function: a top-level statement of a module, or a
 * method def in a class body (its decorators and defaults; `classBodies.ts`).
 */
export interface StmtUnit {
  kind: 'stmt';
  node: PyNode;
  mod: ModuleModel;
  /** The class body a method def is in; a top-level statement runs in the module body. */
  scope?: FuncInfo;
  /** A method def: how many of the statements its class body evaluates itself come before it. */
  ownBefore?: number;
  /** The calls it made (the module body's call edges are theirs, in statement order; a class body's likewise). */
  calls: CallEdge[];
  /** The node of its last evaluation: a class statement keeps its unit when the class is kept (`stmtUnit`). */
  evaluated?: PyNode;
}

/** What the worklist evaluates: a function, or one statement (top-level, or a method def). */
export type Unit = FuncInfo | StmtUnit;

/**
 * Statement units by node: a statement kept across a reparse keeps its unit. A class statement's unit is its
 * class's: the index keeps the class through an edit in its body (a new node), and the statement still binds the
 * same class to the same name, so its unit is evaluated again in place (`evaluated` tells) instead of being removed,
 * which would redo everything that reads the name.
 */
const stmtUnits = new WeakMap<object, StmtUnit>();

function stmtUnit(mod: ModuleModel, node: PyNode): StmtUnit {
  const key = (node.type === 'class_definition' && classOf.get(node)) || node;
  let u = stmtUnits.get(key);
  if (!u || u.mod !== mod) {
    // Every field in the literal, in one order: a field added later gave each unit a property array of its own.
    u = { kind: 'stmt', node, mod, scope: undefined, ownBefore: undefined, calls: [], evaluated: undefined };
    stmtUnits.set(key, u);
  }
  u.node = node;
  return u;
}

/**
 * Visits the units of a module in evaluation order: its statements, then its functions (a class body, then its
 * defs). A visit, not a list: a keystroke walks every unit of the module, and need not copy them.
 */
export function forEachUnit(mod: ModuleModel, visit: (u: Unit) => void): void {
  for (const n of mod.root.children) {
    visit(stmtUnit(mod, n));
  }
  for (const fn of mod.functions) {
    visit(fn);
    if (fn.kind === 'classbody') {
      membersOf(fn).forEach(visit);
    }
  }
}

/** The function a unit is nested in: evaluating that one again evaluates this one again. */
function outerOf(u: Unit): FuncInfo | undefined {
  return u.kind === 'stmt' ? u.scope : u.outer;
}

/** The worklist driver over every layer: runs, updates (delete and re-derive), time budgets, unit evaluation. */
export class Interpreter extends ClassBodies {
  private readonly fnEvents = new Map<Unit, Event[]>();
  /** Set when a run stopped at the pass limit or a union dropped values: its result depends on the order of work. */
  orderSensitive = false;
  /** Units nested in a function (closures, a class body's methods and defs), left by units that are gone. */
  private readonly inner = new Map<FuncInfo, Set<Unit>>();
  private readonly spent = new Map<ModuleModel, number>();

  constructor(
    mods: ModuleModel[],
    cat: CatalogIndex,
    resolve: ModuleResolver,
    /** Milliseconds one module may take over all passes; past it the module is cut off (OBO100). */
    private readonly budgetMs: number,
    loadLogged?: LoggedModuleLoader,
    /** Told when a module joins the run (imported or logged), before it is evaluated. */
    private readonly onJoin?: (mod: ModuleModel) => void,
  ) {
    super(mods, cat, resolve, loadLogged);
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
   *
   * `changed` are units kept with new code that writes what the old code wrote (a class statement whose class was
   * kept): they are evaluated again in place.
   */
  update(removed: Unit[], added: Unit[], changed: Unit[] = []): { events: Event[]; modules: ModuleModel[] } {
    const redo = new Set<Unit>(removed);
    const cleared = new Set<Cell>();
    const clear = (cell: Cell) => {
      if (!cleared.has(cell)) {
        cleared.add(cell);
        this.clearCell(cell);
        this.readersOf(cell).forEach((r) => redo.add(r));
      }
    };
    for (const u of [...removed, ...added]) {
      const cell = u.kind === 'stmt' ? this.methodCell(u) : undefined;
      if (cell) {
        clear(cell);
      }
    }
    // A Set's iteration visits what is added to it meanwhile: this walks everything the removed units reached.
    for (const u of redo) {
      this.unitWrites.get(u)?.forEach(clear);
      for (const f of u.kind === 'stmt' ? [] : (this.inner.get(u) ?? [])) {
        redo.add(f);
      }
    }
    for (const u of removed) {
      this.dead.add(u);
      this.forgetWrites(u);
      this.forgetReads(u, true);
      this.fnEvents.delete(u);
      const outer = outerOf(u);
      const siblings = outer && this.inner.get(outer);
      siblings?.delete(u);
      if (siblings?.size === 0) {
        this.inner.delete(outer as FuncInfo);
      }
      if (u.kind !== 'stmt') {
        this.inner.delete(u);
        this.forgetClassBody(u);
      }
    }
    for (const cell of cleared) {
      this.dirtyAll(this.cellWriters.get(cell));
    }
    this.dirtyAll(redo);
    this.dirtyAll(added);
    this.dirtyAll(changed);
    for (const u of added) {
      const outer = outerOf(u);
      if (outer) {
        addTo(this.inner, outer, u);
      }
    }
    this.mods.forEach((mod) => this.startBudget(mod));
    return this.work();
  }

  /** The cells' bookkeeping, and the units held for their nesting and their events: none may outlive its code. */
  override bookkeeping(): ReturnType<Cells['bookkeeping']> & { inner: number; events: number } {
    let inner = 0;
    for (const set of this.inner.values()) {
      inner += set.size;
    }
    return { ...super.bookkeeping(), inner, events: this.fnEvents.size };
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

  private forgetWrites(u: Unit): void {
    for (const cell of this.unitWrites.get(u) ?? []) {
      const writers = this.cellWriters.get(cell);
      writers?.delete(u);
      if (writers?.size === 0) {
        this.cellWriters.delete(cell);
      }
    }
    this.unitWrites.delete(u);
  }

  private work(): { events: Event[]; modules: ModuleModel[] } {
    const capped = this.ids.capped;
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
          forEachUnit(mod, this.evalIfDirty);
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
    if (this.dirty.size || this.ids.capped !== capped) {
      this.orderSensitive = true;
    }
    this.dirty.clear();
    this.deadline = Infinity;
    this.current = undefined;
    const events: Event[] = [];
    for (const mod of this.mods) {
      const stmts = mod.root.children.map((n) => stmtUnit(mod, n));
      mod.body.calls = stmts.flatMap((u) => u.calls);
      for (const u of stmts) {
        events.push(...(this.fnEvents.get(u) ?? []));
      }
      for (const fn of mod.functions) {
        if (fn.kind === 'classbody') {
          this.classBodyResults(fn, this.fnEvents, events);
        } else {
          events.push(...(this.fnEvents.get(fn) ?? []));
        }
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
    forEachUnit(mod, (u) => {
      this.dirty.add(u);
      const outer = outerOf(u);
      if (outer) {
        addTo(this.inner, outer, u);
      }
    });
  }

  /** One step of a pass: a unit is evaluated if it is dirty (bound once: every pass of every keystroke visits all). */
  private readonly evalIfDirty = (u: Unit): void => {
    if (!this.dirty.delete(u)) {
      return;
    }
    if (u.kind === 'stmt') {
      this.evalStmt(u);
      return;
    }
    this.evalFunc(u);
    // Nested functions read this one's locals, which were just rebuilt.
    for (const f of this.inner.get(u) ?? []) {
      this.dirty.add(f);
    }
  };

  /** Importing or logging a module brings it into the run. */
  protected join(mod: ModuleModel): void {
    if (!this.mods.includes(mod)) {
      this.onJoin?.(mod);
      this.mods.push(mod);
      this.enqueue(mod);
    }
  }

  /**
   * One top-level statement, in the module body's scope, or a method def, in its class body's scope as it stood
   * before the def; its calls are its own.
   */
  private evalStmt(u: StmtUnit): void {
    const body = u.scope ?? u.mod.body;
    this.current = u;
    u.evaluated = u.node;
    this.forgetWrites(u);
    this.forgetReads(u);
    this.events = [];
    this.fnEvents.set(u, this.events);
    u.calls = [];
    const calls = body.calls;
    const locals = body.locals;
    body.calls = u.calls;
    if (u.scope) {
      body.locals = this.memberLocals(u);
    }
    try {
      this.stmt(u.node, body);
    } finally {
      body.calls = calls;
      body.locals = locals;
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
    // What it wrote and read is recorded anew: a kept interpreter must not keep the cells of code that is gone.
    this.forgetWrites(fn);
    this.forgetReads(fn);
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
      this.classBody(fn);
      return;
    }
    this.block(fn.body, fn);
  }
}
