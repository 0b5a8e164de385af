// What a change invalidates: modules form groups through their references, and an analysis re-interprets only the groups a change touched (or everything when files appeared or went away).
import * as path from 'path';
import { pushTo, sameItems, sameSet } from '../collections';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import type { DocumentChange } from './documents';
import type { GroupRun, Interpretation } from './interpretation';
import type { Modules } from './modules';

/** The last interpretation: its modules in program order, and by module its events, what it reached and its group. */
export interface Interpreted {
  modules: ModuleModel[];
  /** A module's events; the same array while the module is not interpreted again. */
  eventsOf: Map<ModuleModel, Event[]>;
  linksOf: Map<ModuleModel, Set<ModuleModel>>;
  /** Path → the modules of its group. */
  groupOf: Map<string, ModuleModel[]>;
  universe: Set<ModuleModel>;
}

export class Scheduler {
  /** Still valid while nothing is `changed` (comment and blank-line edits are not). */
  private last: Interpreted | undefined;
  /** Set when files appeared or went away: every module interprets again (an import may now resolve). */
  private fullRun = false;
  /** Paths (files, notebook units) whose meaning changed since the last interpretation. */
  private readonly changed = new Set<string>();
  /** Interpretations run so far (a keystroke that only moved positions runs none): what tests watch. */
  runs = 0;

  constructor(
    private readonly modules: Modules,
    private readonly interpretation: Interpretation,
  ) {}

  /** Records what a document change invalidates, for the next interpretation. */
  take(change: DocumentChange): void {
    if (change.unitsMoved) {
      this.fullRun = true;
    }
    for (const p of change.changed) {
      this.changed.add(path.normalize(p));
    }
  }

  /**
   * Interprets what changed. Modules only share values through a reference from one to the other (an import, a
   * logged python_model), so the program splits into independent groups: a change re-runs the groups it touches
   * and keeps the others' events. A run that reaches a module outside its groups takes that module's group in and
   * runs again, so the result is the one a full run gives.
   */
  interpret(): Interpreted {
    const missAppeared = this.modules.missAppeared();
    if (this.last && !this.changed.size && !this.fullRun && !missAppeared) {
      return this.last;
    }
    this.runs++;
    this.modules.newRun();
    const all = this.modules.all();
    const groups = this.last;
    // (While no module came or went, the last run's universe is the set of modules here: no new set per key.)
    const sameModules = groups !== undefined && sameItems(all, groups.modules);
    const existed = sameModules ? groups.universe : new Set(all);
    const full = !groups || missAppeared || this.fullRun;
    if (full) {
      this.fullRun = false;
      this.interpretation.forget();
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
    for (;;) {
      const run = this.interpretation.group(all.filter((m) => runSet.has(m)));
      const { modules, links } = run;
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
      if (!full && sameModules && sameGroups(groups, runSet, modules, links)) {
        // The usual keystroke: the run kept to its group and its references. The last interpretation takes the new
        // events in place; copying its maps over every module on each key was most of a big workspace's extra cost.
        takeRun(groups.eventsOf, groups.linksOf, runSet, run);
        return groups;
      }
      return this.rebuild(groups, runSet, existed, run);
    }
  }

  /** The slow path: the last interpretation's maps copied without what ran, then the run's results added. */
  private rebuild(
    groups: Interpreted | undefined,
    runSet: Set<ModuleModel>,
    existed: Set<ModuleModel>,
    run: GroupRun,
  ): Interpreted {
    const eventsOf = new Map(groups?.eventsOf ?? []);
    const linksOf = new Map(groups?.linksOf ?? []);
    const universe = new Set([...(groups?.universe ?? [])].filter((m) => !runSet.has(m) && existed.has(m)));
    run.modules.forEach((m) => universe.add(m));
    takeRun(eventsOf, linksOf, runSet, run);
    const ordered = this.modules.all().filter((m) => universe.has(m));
    // (The rules read events per module: the whole program's list is built only when asked for.)
    this.last = {
      modules: ordered,
      eventsOf,
      linksOf,
      groupOf: groupModules(ordered, linksOf),
      universe: new Set(ordered),
    };
    return this.last;
  }
}

/** Replaces what the modules of `runSet` had in the maps by what `run` gave them (events in order, references). */
function takeRun(
  eventsOf: Map<ModuleModel, Event[]>,
  linksOf: Map<ModuleModel, Set<ModuleModel>>,
  runSet: ReadonlySet<ModuleModel>,
  run: GroupRun,
): void {
  for (const m of runSet) {
    eventsOf.delete(m);
    linksOf.delete(m);
  }
  for (const m of run.modules) {
    eventsOf.set(m, []);
  }
  for (const e of run.events) {
    eventsOf.get(e.fn.mod)?.push(e);
  }
  for (const [from, to] of run.links) {
    linksOf.set(from, to);
  }
}

/** Connected groups of modules, by path, over the references between them (either direction). */
export function groupModules(
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

/** Whether a run leaves the groups as they were: it evaluated exactly what it was given, each keeping its references. */
function sameGroups(
  groups: Interpreted | undefined,
  runSet: ReadonlySet<ModuleModel>,
  modules: readonly ModuleModel[],
  links: ReadonlyMap<ModuleModel, ReadonlySet<ModuleModel>>,
): groups is Interpreted {
  if (!groups || modules.length !== runSet.size) {
    return false;
  }
  for (const m of modules) {
    if (!runSet.has(m) || !sameSet(links.get(m), groups.linksOf.get(m))) {
      return false;
    }
  }
  return true;
}
