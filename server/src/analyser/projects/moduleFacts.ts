// What the rules read of one interpreted module (agent classes, log sites, references), and the part that decides which project it belongs to.
import type { CatalogIndex } from '../../catalog/lookup';
import { sameItems } from '../collections';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import { findAgentClasses, type AgentClass } from '../obo/agents';
import type { LogSite, LogTargets } from '../obo/logsites';

/** A new object whenever the module's text, events or standing change: its identity says "unchanged". */
export interface ModuleFacts {
  unit: ModuleModel['unit'];
  events: readonly Event[];
  /** An open or indexed document (its imports are checked), not a file only read from disk. */
  project: boolean;
  agents: AgentClass[];
  setsModel: boolean;
  sites: LogSite[];
  /** The modules it reached when interpreted (imports, logged agents), as they were then. */
  neighbours: ModuleModel[];
}

export function readFacts(
  m: ModuleModel,
  events: readonly Event[],
  project: boolean,
  reached: Iterable<ModuleModel>,
  cat: CatalogIndex,
  logSiteOf: (e: Extract<Event, { k: 'logModel' }>) => LogSite,
): ModuleFacts {
  return {
    unit: m.unit,
    events,
    project,
    agents: findAgentClasses([m], cat),
    setsModel: events.some((e) => e.k === 'setModel'),
    sites: events
      .filter((e): e is Extract<Event, { k: 'logModel' }> => e.k === 'logModel')
      .map((e) => logSiteOf(e)),
    // (The interpreter refills `imports` in place: keep what this interpretation found.)
    neighbours: [...m.imports, ...reached],
  };
}

/**
 * Whether two facts of a module join it to the same other modules, over the same log-target index: the same
 * references, log sites naming the same modules, and the same say in which modules are agents. When every changed
 * module answers yes, the projects of the program are the ones of the last run.
 */
export function sameLinks(a: ModuleFacts, b: ModuleFacts, targets: LogTargets): boolean {
  if (
    a.agents.length > 0 !== b.agents.length > 0 ||
    a.setsModel !== b.setsModel ||
    !sameItems(a.neighbours, b.neighbours) ||
    a.sites.length !== b.sites.length
  ) {
    return false;
  }
  return a.sites.every((s, i) => {
    const x = targets.of(s);
    const y = targets.of(b.sites[i]);
    return sameItems(x.exact, y.exact) && sameItems(x.likely, y.likely);
  });
}

/**
 * Whether two facts of a module leave the program's log targets and agent links as they were: the same log site
 * objects (a module interpreted again has new ones), and the same say in which modules are agents.
 */
export function sameStand(a: ModuleFacts, b: ModuleFacts): boolean {
  return (
    a.agents.length > 0 === b.agents.length > 0 && a.setsModel === b.setsModel && sameItems(a.sites, b.sites)
  );
}
