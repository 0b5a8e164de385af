// Class bodies: the statements a class body evaluates itself, in order, and its method defs, each a unit of its own.
import { child, type PyNode } from '../python/tree';
import type { NamedCell } from './cells';
import type { Event } from './events';
import type { StmtUnit } from './interpreter';
import { defOf, ownsStatement, type CallEdge, type FuncInfo } from './program';
import { Statements } from './statements';
import type { Vals } from './values';

/**
 * Where a class body's evaluation stood before one of its own statements (or after the last): the calls and events
 * it had made, and its names then, which is what a method def placed there sees (Python runs the body in order).
 */
interface Mark {
  calls: number;
  events: number;
  locals: Map<string, Vals>;
}

/** Method defs by node: a def kept across a reparse keeps its unit. */
const memberUnits = new WeakMap<PyNode, StmtUnit>();
/** The member units of a class body, for the body block they were listed from. */
const memberLists = new WeakMap<FuncInfo, { block: PyNode | undefined; units: StmtUnit[] }>();

/**
 * The method defs of a class body that are units of their own (`ownsStatement` is false), in order. A def evaluates
 * its decorators and defaults in the class body's scope as it stood before it, so the count of the body's own
 * statements before it is part of its identity.
 */
export function membersOf(scope: FuncInfo): StmtUnit[] {
  const listed = memberLists.get(scope);
  if (listed && listed.block === scope.body) {
    return listed.units;
  }
  const units: StmtUnit[] = [];
  let own = 0;
  for (const s of scope.body?.children ?? []) {
    if (ownsStatement(s)) {
      own++;
      continue;
    }
    let u = memberUnits.get(s);
    if (!u || u.mod !== scope.mod || u.scope !== scope || u.ownBefore !== own) {
      u = { kind: 'stmt', node: s, mod: scope.mod, scope, ownBefore: own, calls: [], evaluated: undefined };
      memberUnits.set(s, u);
    }
    units.push(u);
  }
  memberLists.set(scope, { block: scope.body, units });
  return units;
}

/** Over statements: a class body's own statements with their marks, its defs' scope, and its results in body order. */
export abstract class ClassBodies extends Statements {
  private readonly marks = new Map<FuncInfo, Mark[]>();
  /** The calls a class body made itself; its `calls` are those and its defs', in body order (`classBodyResults`). */
  private readonly ownCalls = new Map<FuncInfo, CallEdge[]>();

  /** Evaluates the statements a class body owns, in order, marking where each def between them stands. */
  protected classBody(fn: FuncInfo): void {
    const marks: Mark[] = [];
    let locals = new Map<string, Vals>();
    let size = 0;
    const mark = () => {
      // (Names only grow during one evaluation: the same count of names and values means the same names.)
      let now = fn.locals.size;
      for (const v of fn.locals.values()) {
        now += v.length;
      }
      if (now !== size) {
        locals = new Map([...fn.locals].map(([k, v]) => [k, [...v]]));
        size = now;
      }
      marks.push({ calls: fn.calls.length, events: this.events.length, locals });
    };
    for (const s of fn.body?.children ?? []) {
      if (ownsStatement(s)) {
        mark();
        this.stmt(s, fn);
      }
    }
    mark();
    this.marks.set(fn, marks);
    this.ownCalls.set(fn, fn.calls);
  }

  /** The names a method def sees: the class body's as they stood before it. */
  protected memberLocals(u: StmtUnit): Map<string, Vals> {
    return (u.scope && this.marks.get(u.scope)?.[u.ownBefore ?? 0]?.locals) ?? new Map();
  }

  /**
   * The cell `obj.name` reads on the class of a method def: a def that comes or goes changes what it finds (the
   * method, before any data attribute or base), which is not a union, so readers are redone from empty cells.
   */
  protected methodCell(u: StmtUnit): NamedCell | undefined {
    const cls = u.scope?.cls;
    const def = u.node.type === 'decorated_definition' ? child(u.node, 'definition') : u.node;
    const fn = def && defOf.get(def);
    return cls && fn ? this.namedCell(cls, fn.name) : undefined;
  }

  /**
   * A class body's events and calls in body order, as one evaluation of the whole body gives them: its own up to
   * each def's mark, then the def's.
   */
  protected classBodyResults(fn: FuncInfo, fnEvents: Map<unknown, Event[]>, out: Event[]): void {
    const own = fnEvents.get(fn) ?? [];
    const members = membersOf(fn);
    const ownCalls = this.ownCalls.get(fn) ?? fn.calls;
    if (!members.length) {
      out.push(...own);
      fn.calls = ownCalls;
      return;
    }
    const marks = this.marks.get(fn);
    const calls: CallEdge[] = [];
    let e = 0;
    let c = 0;
    for (const m of members) {
      const mark = marks?.[m.ownBefore ?? 0];
      for (const end = mark?.events ?? own.length; e < end; e++) {
        out.push(own[e]);
      }
      for (const end = mark?.calls ?? ownCalls.length; c < end; c++) {
        calls.push(ownCalls[c]);
      }
      out.push(...(fnEvents.get(m) ?? []));
      calls.push(...m.calls);
    }
    for (; e < own.length; e++) {
      out.push(own[e]);
    }
    for (; c < ownCalls.length; c++) {
      calls.push(ownCalls[c]);
    }
    fn.calls = calls;
  }

  /** A class body that is gone. */
  protected forgetClassBody(fn: FuncInfo): void {
    this.marks.delete(fn);
    this.ownCalls.delete(fn);
  }
}
