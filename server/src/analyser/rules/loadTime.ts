// Which user-authorized values are built while the agent loads: OBO101 reports them, and OBO102 leaves keeping them to it.
import type { Event } from '../engine/events';
import type { FuncInfo } from '../engine/program';
import { argOf, userValuesIn, type ClientValue, type ConsumerValue } from '../engine/values';
import { underMainGuard, type Phase } from '../obo/agents';
import { type PyNode, textOf } from '../python/tree';
import type { RuleContext } from './context';
import { q } from './text';

export type UserValue = ClientValue | ConsumerValue;
export type BuildEvent = Extract<Event, { k: 'client' | 'consumer' }>;

export interface LoadTime {
  /** The user-authorized constructions made at load, in event order: each is an OBO101 (suppressed or not). */
  atLoad: BuildEvent[];
  /** Their construction nodes: keeping one of them is the same mistake, reported once, by OBO101. */
  builtAtLoad: Set<PyNode>;
  /** The phase of the function a client or consumer was built in ('unknown' when it was not built here). */
  phaseOf(v: UserValue): Phase;
}

/** Computed once per project. */
export function loadTimeOf(ctx: RuleContext): LoadTime {
  return ctx.shared(computeLoadTime);
}

function computeLoadTime({ events, phases }: RuleContext): LoadTime {
  // Where each client or consumer was built, to tell which values can exist at load time at all.
  const builtIn = new Map<PyNode, FuncInfo>();
  for (const e of events) {
    if (e.k === 'client' || e.k === 'consumer') {
      builtIn.set(e.value.site.node, e.fn);
    }
  }
  // A helper called both at load (with a system client) and per request (with a user client) is analysed once for
  // both: its consumer only gets a user client at load if some user client it receives is itself built at load.
  const phaseOf = (v: UserValue): Phase => {
    const fn = builtIn.get(v.site.node);
    return fn ? phases.phase(fn) : 'unknown';
  };
  const userAtLoad = (v: ConsumerValue) => userFeeds(v).some((f) => phaseOf(f) !== 'request');
  const atLoad: BuildEvent[] = [];
  for (const e of events) {
    if (
      (e.k === 'client' || e.k === 'consumer') &&
      e.value.user &&
      // A holder calls nothing when built: the tools it keeps are reported where they are built.
      !(e.k === 'consumer' && e.value.row.holdsTools) &&
      phases.phase(e.fn) === 'init' &&
      !underMainGuard(e.site) &&
      (e.k === 'client' || userAtLoad(e.value))
    ) {
      atLoad.push(e);
    }
  }
  return { atLoad, builtAtLoad: new Set(atLoad.map((e) => e.value.site.node)), phaseOf };
}

/** A user-authorized value as messages name it: its constructor and what it is. */
export function describeValue(v: UserValue): string {
  const t = textOf(v.site.mod.src, v.site.node).replace(/\s+/g, ' ');
  const name = t.slice(0, t.indexOf('(') > 0 ? t.indexOf('(') : t.length);
  if (v.k === 'client') {
    return `${q(name)} (a user-authorized client)`;
  }
  return v.row.holdsTools
    ? `${q(name)} (holding user-authorized tools)`
    : `${q(name)} (built on a user-authorized client)`;
}

/**
 * The user-authorized values a consumer was given (its client parameter, or a wrong keyword standing for it); for a
 * holder, the user-authorized tools in its tools argument.
 */
export function userFeeds(v: ConsumerValue): UserValue[] {
  const { row, args } = v;
  const vals = [
    ...argOf(args, row.clientParam.keyword, row.clientParam.position),
    ...Object.keys(row.wrongKeywords ?? {}).flatMap((k) => args.kw.get(k) ?? []),
  ];
  // One per construction: the same tool may sit in two lists (`tools=[t]` and `ToolNode([t])`).
  return [...new Map(vals.flatMap((x) => userValuesIn(x)).map((f) => [f.site.node, f])).values()];
}
