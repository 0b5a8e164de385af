// Flow-sensitive locals: what each name of the function being evaluated holds here, through if/try and loops.
import { child, childrenOf, type PyNode } from '../python/tree';
import { Cells } from './cells';
import type { FuncInfo } from './program';
import type { ValueIds, Vals } from './values';

/** Over the run's cells: flow-sensitive locals, and the if/try/loop flows that carry them. */
export abstract class Flow extends Cells {
  /**
   * Flow-sensitive locals of the function being evaluated: what each name holds at this point of its body (an
   * assignment replaces, branches join, a branch that returns drops out). A name it lacks reads the function's
   * union of values; inside loops (`weak` > 0) assignments drop the name, so loops stay flow-insensitive.
   */
  protected flow: Map<string, Vals> | undefined;
  protected flowFn: FuncInfo | undefined;
  protected weak = 0;

  abstract expr(n: PyNode, fn: FuncInfo): Vals;
  protected abstract stmt(s: PyNode, fn: FuncInfo): void;

  protected flowing(fn: FuncInfo): boolean {
    return !!this.flow && fn === this.flowFn && this.weak === 0;
  }

  /** A loop body runs any number of times: its assignments are weak (the name reads the union afterwards). */
  protected loopFlow(body: () => void): void {
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

  protected ifFlow(s: PyNode, fn: FuncInfo): void {
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
    this.flow = joinFlows(this.ids, outs, start);
  }

  protected tryFlow(s: PyNode, fn: FuncInfo): void {
    const start = this.flow as Map<string, Vals>;
    const body = child(s, 'body');
    const afterBody = this.branch(start, () => body && this.stmt(body, fn), undefined);
    const outs: (Map<string, Vals> | undefined)[] = [body && leaves(body) ? undefined : afterBody];
    // A handler may start anywhere in the body: from what held before it or after it.
    const handlerStart = joinFlows(this.ids, [start, afterBody], start);
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
    this.flow = joinFlows(this.ids, outs, start);
    if (finallyClause) {
      this.stmt(finallyClause, fn);
    }
  }
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
function joinFlows(
  ids: ValueIds,
  paths: (Map<string, Vals> | undefined)[],
  start: Map<string, Vals>,
): Map<string, Vals> {
  const live = paths.filter((p): p is Map<string, Vals> => !!p);
  if (!live.length) {
    return start;
  }
  const out = new Map<string, Vals>();
  for (const [name, vals] of live[0]) {
    if (live.every((p) => p.has(name))) {
      const joined = [...vals];
      live.slice(1).forEach((p) => ids.union(joined, p.get(name) ?? []));
      out.set(name, joined);
    }
  }
  return out;
}
