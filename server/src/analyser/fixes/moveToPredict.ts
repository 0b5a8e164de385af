// The OBO101 fix "Create per request in predict": moves `self.x = <user client>` out of __init__ into the request methods.
import type { Fix, TextEdit } from '../model';
import type { FuncInfo } from '../engine/program';
import type { Site } from '../engine/values';
import type { AgentClass } from '../obo/agents';
import { child, type PyNode, textOf, visit } from '../python/tree';
import { lineStartAt } from '../sources/text';
import { edit } from './edits';

/**
 * Only offered when the move is mechanical: the construction is the whole right side of `self.x = ...` directly in
 * `__init__`/`load_context` of an agent class, uses no local of that method, and `self.x` is read only by request methods.
 */
export function moveToPredictFix(
  fn: FuncInfo,
  site: Site,
  agents: AgentClass[],
  requestMethods: string[],
): Fix | undefined {
  const cls = fn.cls;
  if (fn.kind !== 'method' || !cls || !agents.some((a) => a.cls === cls) || !fn.body) {
    return undefined;
  }
  const src = fn.mod.src;
  const assignment = site.node.parent;
  const stmt = assignment?.parent;
  if (
    assignment?.type !== 'assignment' ||
    child(assignment, 'right') !== site.node ||
    stmt?.parent !== fn.body
  ) {
    return undefined;
  }
  const left = child(assignment, 'left');
  const self = fn.params[0]?.name;
  if (left?.type !== 'attribute' || !self || textOf(src, child(left, 'object') as PyNode) !== self) {
    return undefined;
  }
  const attr = textOf(src, child(left, 'attribute') as PyNode);
  const locals = new Set([...fn.locals.keys()].filter((k) => k !== self));
  let usesLocal = false;
  visit(site.node, (n) => {
    if (
      n.type === 'identifier' &&
      locals.has(textOf(src, n)) &&
      n.parent?.field !== 'attribute' &&
      n.field !== 'name'
    ) {
      usesLocal = true;
    }
  });
  if (usesLocal) {
    return undefined;
  }
  const uses = new Map<FuncInfo, PyNode[]>();
  let foreign = false;
  for (const method of cls.methods.values()) {
    if (!method.body) {
      continue;
    }
    const mSelf = method.params[0]?.name;
    visit(method.body, (n) => {
      if (n.type === 'attribute' && n !== left && textOf(src, n) === `${mSelf}.${attr}`) {
        if (requestMethods.includes(method.name)) {
          uses.set(method, [...(uses.get(method) ?? []), n]);
        } else {
          foreign = true;
        }
      }
    });
  }
  if (foreign || uses.size === 0) {
    return undefined;
  }
  const expr = textOf(src, site.node);
  const edits: TextEdit[] = [];
  for (const [method, nodes] of uses) {
    if (method.locals.has(attr)) {
      return undefined; // the local name is taken: not mechanical any more
    }
    const body = method.body as PyNode;
    let first = body.children[0];
    if (!first) {
      return undefined;
    }
    if (first.type === 'expression_statement' && first.children[0]?.type === 'string' && body.children[1]) {
      first = body.children[1];
    }
    const indent = src.slice(lineStartAt(src, first.start), first.start);
    if (/\S/.test(indent)) {
      return undefined; // `def predict(self, r): return ...` on one line: no line to insert before
    }
    edits.push(edit(fn.mod, first.start, first.start, `${attr} = ${expr}\n${indent}`));
    for (const n of nodes) {
      edits.push(edit(fn.mod, n.start, n.end, attr));
    }
  }
  const body = fn.body;
  if (body.children.length === 1) {
    edits.push(edit(fn.mod, stmt.start, stmt.end, 'pass'));
  } else {
    const lineStart = lineStartAt(src, stmt.start);
    const nl = src.indexOf('\n', stmt.end);
    edits.push(edit(fn.mod, lineStart, nl < 0 ? src.length : nl + 1, ''));
  }
  return {
    title: `Create ${attr} per request in ${[...uses.keys()].map((m) => m.name).join(' and ')}`,
    edits,
    safe: false,
  };
}
