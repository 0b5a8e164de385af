// Interpreting one group of modules: a fresh interpreter run that records which modules each one reached, or the kept interpreter of a one-module group taking a change in.
import type { CatalogIndex } from '../../catalog/lookup';
import { addTo } from '../collections';
import type { Event } from '../engine/events';
import { forEachUnit, Interpreter, type Unit } from '../engine/interpreter';
import { resetState, type ModuleModel } from '../engine/program';
import type { Modules } from './modules';

/** What interpreting a group gave: its events, every module the run evaluated, and what each one reached. */
export interface GroupRun {
  events: Event[];
  modules: ModuleModel[];
  links: Map<ModuleModel, Set<ModuleModel>>;
  interp: Interpreter;
}

/**
 * Updates a kept interpreter takes before a fresh run instead. Its bookkeeping no longer grows with edits (gone units
 * leave every cell, test/unit/incrementalMemory), so this is only a rare reset: a fresh run of a big file is a
 * 20–50 ms keystroke, which every 500 changes showed in the latency tail.
 */
const MAX_UPDATES = 10_000;

export class Interpretation {
  /** Modules each module reached during the current interpreter run. */
  private runLinks = new Map<ModuleModel, Set<ModuleModel>>();
  /** The interpreter of a one-module group, kept to take the next change in incrementally. */
  private kept: KeptRun | undefined;

  constructor(
    private readonly modules: Modules,
    private readonly cat: CatalogIndex,
    private readonly budgetMs: number,
  ) {}

  /** Imports may resolve differently now: a kept interpreter would only re-run what changed, not re-import. */
  forget(): void {
    this.kept = undefined;
  }

  /**
   * Interprets a group. A group of one module that reaches no other (the usual agent file, with its imports from
   * installed packages) keeps its interpreter between changes: a change then re-evaluates only what the edited code
   * can reach (`Interpreter.update`), unless that run turns out order-sensitive or reaches another module, in which
   * case the group is interpreted afresh.
   */
  group(mods: ModuleModel[]): GroupRun {
    const only = mods.length === 1 ? mods[0] : undefined;
    const kept = this.kept;
    if (
      only &&
      kept?.mod === only &&
      !kept.interp.orderSensitive &&
      !only.truncated &&
      ++kept.updates < MAX_UPDATES
    ) {
      const { removed, added, changed } = diffUnits(kept, only);
      this.runLinks = new Map();
      const out = kept.interp.update(removed, added, changed);
      const result = { ...out, links: this.runLinks, interp: kept.interp };
      if (keepable(only, result)) {
        return result;
      }
    }
    const result = this.fresh(mods);
    this.kept = only && keepable(only, result) ? keptRun(only, result.interp) : undefined;
    return result;
  }

  /** One interpreter run over `mods` (and what they import or log), recording which modules each one reached. */
  private fresh(mods: ModuleModel[]): GroupRun {
    for (const m of mods) {
      resetState(m);
    }
    const modules = this.modules;
    // Files read from disk are evaluated only when something imports or logs them (as in Python).
    const initial = mods.filter((m) => !modules.isDisk(m));
    this.runLinks = new Map();
    // The callbacks outlive this run when the interpreter is kept: they record into the links of the current run.
    const reached = (from: ModuleModel, to: ModuleModel | undefined) => {
      if (to && to !== from) {
        addTo(this.runLinks, from, to);
      }
      return to;
    };
    const interp = new Interpreter(
      initial,
      this.cat,
      (from, dotted, level) => reached(from, modules.resolveImport(from, dotted, level)),
      this.budgetMs,
      (from, name, args) => reached(from, modules.resolveLogged(from, name, args)),
      // Disk modules join a run when first reached: their state starts empty.
      (m) => {
        if (!mods.includes(m)) {
          resetState(m);
        }
      },
    );
    // Only a run of one module can be kept (`keepable`): the others need not track what each unit read and wrote.
    interp.tracksUnits = mods.length === 1;
    const { events, modules: evaluated } = interp.run();
    return { events, modules: evaluated, links: this.runLinks, interp };
  }
}

/** A one-module run kept for the next change, with the units it holds. */
interface KeptRun {
  mod: ModuleModel;
  interp: Interpreter;
  /** The module's units as of the last change, and a second list the next change fills (both reused). */
  units: Unit[];
  spare: Unit[];
  /** The change each unit was last seen in. */
  seen: WeakMap<Unit, number>;
  epoch: number;
  updates: number;
}

function keptRun(mod: ModuleModel, interp: Interpreter): KeptRun {
  const run: KeptRun = { mod, interp, units: [], spare: [], seen: new WeakMap(), epoch: 0, updates: 0 };
  diffUnits(run, mod);
  return run;
}

/**
 * The units a change removed, added and changed in place (a kept class statement with new code), in evaluation
 * order. Every unit of the module now is stamped with the change's number, so a unit of the last list left with an
 * older one is gone. Nothing the size of the module is allocated on a keystroke: the two lists are reused, and a
 * set rebuilt per change (or a map with deletions, rehashed as they pile up) was 25 KB a key on a 2,000-line file.
 */
function diffUnits(kept: KeptRun, mod: ModuleModel): { removed: Unit[]; added: Unit[]; changed: Unit[] } {
  const epoch = ++kept.epoch;
  const { seen } = kept;
  const next = kept.spare;
  let n = 0;
  const added: Unit[] = [];
  const changed: Unit[] = [];
  forEachUnit(mod, (u) => {
    const last = seen.get(u);
    if (last === epoch) {
      return;
    }
    if (last === undefined) {
      added.push(u);
    } else if (u.kind === 'stmt' && u.evaluated !== u.node) {
      changed.push(u);
    }
    seen.set(u, epoch);
    next[n++] = u;
  });
  next.length = n;
  const removed = kept.units.filter((u) => seen.get(u) !== epoch);
  // (A unit that ever came back would be added again.)
  removed.forEach((u) => seen.delete(u));
  kept.spare = kept.units;
  kept.units = next;
  return { removed, added, changed };
}

/**
 * Whether a run of one module may be taken further by `Interpreter.update`: it stayed alone (reached no other
 * module), finished in its budget, and its result does not depend on the order of work.
 */
function keepable(only: ModuleModel, run: GroupRun): boolean {
  return (
    run.modules.length === 1 &&
    !run.links.size &&
    !only.truncated &&
    !run.interp.orderSensitive &&
    run.interp.tracksUnits
  );
}
