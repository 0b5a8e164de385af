// Our syntax tree as a string (type, field and positions of every node, parent links checked), to compare two trees.
import { strict as assert } from 'node:assert';
import type { PyNode } from '../../server/src/analyser/python/tree';

export function dump(n: PyNode, parent: PyNode | null = null): string {
  assert.equal(n.parent, parent, `parent link of ${n.type}@${n.start}`);
  const own = `${n.type}:${n.field ?? ''}@${n.start}-${n.end}/${n.sr}:${n.sc}-${n.er}:${n.ec}`;
  return n.children.length ? `(${own} ${n.children.map((c) => dump(c, n)).join(' ')})` : own;
}

/** The line and UTF-16 column of an offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
