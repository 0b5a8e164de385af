// What the interpreter's units read and write (cells, readers, writers) and its time check: the worklist's bookkeeping.
import type { CatalogIndex } from '../../catalog/lookup';
import { addTo, getOrAdd } from '../collections';
import type { Event } from './events';
import type { Unit } from './interpreter';
import type { ClassInfo, ModuleModel } from './program';
import { type CallArgs, type Vals, ValueIds } from './values';

const newUnitSet = (): Set<Unit> => new Set();

export class TimeBudgetExceeded extends Error {}

/** Resolves `import x.y` / `from ..x import y` to a local module of the project, loading it if needed. */
export type ModuleResolver = (from: ModuleModel, dotted: string, level: number) => ModuleModel | undefined;

/** Loads the agent file a `log_model(python_model=...)` call names, so a driver links to an agent that is not open. */
export type LoggedModuleLoader = (
  from: ModuleModel,
  logFunction: string,
  args: CallArgs,
) => ModuleModel | undefined;

/** A module global or a class attribute (or, as `\u0000bases`, a class's resolved bases). */
export interface NamedCell {
  owner: ModuleModel | ClassInfo;
  name: string;
}

/** Where values are written: a parameter's or a return's Vals array, or a named cell. */
export type Cell = Vals | NamedCell;

export const BASES = '\u0000bases';

/**
 * The base of the interpreter's layers (flow, recognition, dicts, calls, expressions, names, statements, then the
 * worklist driver in `interpreter.ts`): the state of one run that every layer reads and writes.
 */
export abstract class Cells {
  events: Event[] = [];
  /** Value ids and unions of this run. */
  protected readonly ids = new ValueIds();
  private steps = 0;
  /** The unit being evaluated: what it reads makes it a reader of that cell. */
  protected current: Unit | undefined;
  /** Cell (a parameter's or a return's Vals array) → units that read it. */
  protected readonly readers = new Map<Vals, Set<Unit>>();
  /** Module globals and class attributes: owner → name → units that read it. */
  protected readonly namedReaders = new Map<ModuleModel | ClassInfo, Map<string, Set<Unit>>>();
  /**
   * Where each unit is listed as a reader, as triples (map, key, owner: set for a named cell): a unit of code that
   * is gone leaves them all, and empty entries go (`forgetReads`). Without this, every keystroke's removed units
   * (with their syntax trees) stayed reachable from the cells they read, and each young collection copied them on.
   */
  private readonly unitReads = new Map<Unit, unknown[]>();
  /**
   * Whether the run records what each unit read and wrote (`unitReads`, `unitWrites`, `cellWriters`): only a run that
   * may be kept to take edits in undoes a unit's work. In the others (every group of several modules, and the
   * workspace's first run, one over every module) that bookkeeping lived as long as the run, was promoted, and was
   * then old-generation garbage: it raised the index's peak memory and the heap the index leaves.
   */
  tracksUnits = true;
  /** Units to evaluate again because something they read grew. */
  protected dirty = new Set<Unit>();
  /** The cells each unit wrote in its last evaluation, and the reverse: what a later change must undo and redo. */
  protected readonly unitWrites = new Map<Unit, Set<Cell>>();
  protected readonly cellWriters = new Map<Cell, Set<Unit>>();
  /** (Weak: a class re-indexed after an edit is a new ClassInfo, and the old one must not stay reachable from here.) */
  private readonly named = new WeakMap<ModuleModel | ClassInfo, Map<string, NamedCell>>();
  /** Units of code that is gone: never evaluated again, skipped when something they read grows. */
  protected readonly dead = new WeakSet<Unit>();
  protected deadline = Infinity;
  protected readonly mods: ModuleModel[];

  constructor(
    mods: ModuleModel[],
    protected readonly cat: CatalogIndex,
    protected readonly resolve: ModuleResolver,
    protected readonly loadLogged?: LoggedModuleLoader,
  ) {
    this.mods = [...mods];
  }

  /** Adds a module to the run (imported or logged), to be evaluated. */
  protected abstract join(mod: ModuleModel): void;

  protected namedCell(owner: ModuleModel | ClassInfo, name: string): NamedCell {
    return getOrAdd(
      getOrAdd(this.named, owner, () => new Map()),
      name,
      () => ({ owner, name }),
    );
  }

  /** Records that the unit being evaluated writes into `cell`. */
  protected wrote(cell: Cell): void {
    const u = this.current;
    if (!u || !this.tracksUnits) {
      return;
    }
    addTo(this.unitWrites, u, cell);
    addTo(this.cellWriters, cell, u);
  }

  protected read(cell: Vals): void {
    if (this.current) {
      this.addReader(this.readers, cell, undefined, this.current);
    }
  }

  /** A named cell: a module global (or `*`, any of them) or a class attribute; no key string per read. */
  protected readNamed(owner: ModuleModel | ClassInfo, name: string): void {
    if (!this.current) {
      return;
    }
    const byName = getOrAdd(this.namedReaders, owner, () => new Map<string, Set<Unit>>());
    this.addReader(byName, name, owner, this.current);
  }

  private addReader<K>(
    map: Map<K, Set<Unit>>,
    key: K,
    owner: ModuleModel | ClassInfo | undefined,
    u: Unit,
  ): void {
    const readers = getOrAdd(map, key, newUnitSet);
    if (!readers.has(u)) {
      readers.add(u);
      if (this.tracksUnits) {
        getOrAdd(this.unitReads, u, () => []).push(map, key, owner);
      }
    }
  }

  /**
   * How much the run keeps between changes (reader and writer entries, units with events): a kept interpreter's
   * bookkeeping must stay the size of the code it holds, however many edits it took in.
   */
  bookkeeping(): { cells: number; readers: number; writers: number; units: number } {
    let cells = this.readers.size + this.cellWriters.size;
    let readers = 0;
    for (const set of this.readers.values()) {
      readers += set.size;
    }
    for (const byName of this.namedReaders.values()) {
      cells += byName.size;
      for (const set of byName.values()) {
        readers += set.size;
      }
    }
    let writers = 0;
    for (const set of this.cellWriters.values()) {
      writers += set.size;
    }
    return { cells, readers, writers, units: this.unitReads.size };
  }

  /**
   * A unit stops being a reader of anything: it is gone (`gone`), or about to be evaluated again and read anew (its
   * list is emptied in place, not dropped: a run evaluates units again and again, and a new list each time was
   * garbage enough to raise the index's peak memory).
   */
  protected forgetReads(u: Unit, gone = false): void {
    const reads = this.unitReads.get(u);
    if (!reads) {
      return;
    }
    for (let i = 0; i < reads.length; i += 3) {
      const map = reads[i] as Map<unknown, Set<Unit>>;
      const readers = map.get(reads[i + 1]);
      readers?.delete(u);
      if (readers?.size === 0) {
        map.delete(reads[i + 1]);
        const owner = reads[i + 2] as ModuleModel | ClassInfo | undefined;
        if (owner && map.size === 0 && this.namedReaders.get(owner) === map) {
          this.namedReaders.delete(owner);
        }
      }
    }
    if (gone) {
      this.unitReads.delete(u);
    } else {
      reads.length = 0;
    }
  }

  protected grew(cell: Vals): void {
    this.dirtyAll(this.readers.get(cell));
  }

  protected grewNamed(owner: ModuleModel | ClassInfo, name: string): void {
    this.dirtyAll(this.namedReaders.get(owner)?.get(name));
  }

  protected dirtyAll(fns: Iterable<Unit> | undefined): void {
    for (const f of fns ?? []) {
      if (!this.dead.has(f)) {
        this.dirty.add(f);
      }
    }
  }

  protected globalGrew(mod: ModuleModel, name: string): void {
    this.grewNamed(mod, name);
    this.grewNamed(mod, '*');
  }

  protected readGlobal(mod: ModuleModel, name: string): Vals | undefined {
    this.readNamed(mod, name);
    return mod.globals.get(name);
  }

  protected tick(): void {
    if ((++this.steps & 255) === 0 && Date.now() > this.deadline) {
      throw new TimeBudgetExceeded();
    }
  }
}
