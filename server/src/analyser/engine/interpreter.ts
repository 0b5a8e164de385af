// The interpreter: a worklist over units (statements and functions) to a fixed point, and delete-and-rederive on edits.
import type { CatalogIndex } from '../../catalog/lookup';
import { pushTo } from '../collections';
import type { PyNode } from '../python/tree';
import { BASES, type Cell, type LoggedModuleLoader, type ModuleResolver, TimeBudgetExceeded } from './cells';
import type { Event } from './events';
import type { CallEdge, ClassInfo, FuncInfo, ModuleModel } from './program';
import { Statements } from './statements';
import type { Vals } from './values';

export { type LoggedModuleLoader, type ModuleResolver, TimeBudgetExceeded } from './cells';

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

/** The worklist driver over every layer: runs, updates (delete and re-derive), time budgets, unit evaluation. */
export class Interpreter extends Statements {
  private readonly fnEvents = new Map<Unit, Event[]>();
  /** Set when a run stopped at the pass limit or a union dropped values: its result depends on the order of work. */
  orderSensitive = false;
  private readonly inner = new Map<FuncInfo, FuncInfo[]>();
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
      this.forgetReads(u, true);
      this.fnEvents.delete(u);
      if (u.kind !== 'stmt') {
        this.inner.delete(u);
      }
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
          // (The units in `unitsOf` order, without building that list on every pass of every keystroke.)
          const stmts = mod.root.children;
          const count = stmts.length + mod.functions.length;
          for (let j = 0; j < count; j++) {
            const u = j < stmts.length ? stmtUnit(mod, stmts[j]) : mod.functions[j - stmts.length];
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
    if (this.dirty.size || this.ids.capped !== capped) {
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

  /** Importing or logging a module brings it into the run. */
  protected join(mod: ModuleModel): void {
    if (!this.mods.includes(mod)) {
      this.onJoin?.(mod);
      this.mods.push(mod);
      this.enqueue(mod);
    }
  }

  /** One top-level statement, in the module body's scope; its calls are its own. */
  private evalStmt(u: StmtUnit): void {
    const body = u.mod.body;
    this.current = u;
    this.forgetWrites(u);
    this.forgetReads(u);
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
    }
    this.block(fn.body, fn);
  }
}
