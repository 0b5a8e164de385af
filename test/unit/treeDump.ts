// Syntax trees in the tests: a text parsed as the analyser parses it, and a tree as a string to compare two trees.
import { strict as assert } from 'node:assert';
import type { Parser, Tree } from 'web-tree-sitter';
import { loadParser, parse, parseableText } from '../../server/src/analyser/python/parser';
import { convertTree, NO_CHILDREN, type PyNode } from '../../server/src/analyser/python/tree';

/** `text` parsed from its parseable form (comment-only lines blanked) and converted; the caller frees `tree`. */
export async function parsedText(
  text: string,
): Promise<{ parser: Parser; parsed: string; tree: Tree; root: PyNode }> {
  const parser = await loadParser();
  const parsed = parseableText(text);
  const tree = parse(parser, parsed);
  assert.ok(tree, 'tree-sitter gave a tree');
  return { parser, parsed, tree, root: convertTree(tree) };
}

/** The string of a fresh parse's tree of `text` (its tree-sitter tree freed). */
export async function freshDump(text: string): Promise<string> {
  const { tree, root } = await parsedText(text);
  tree.delete();
  return dump(root);
}

export function dump(n: PyNode, parent: PyNode | null = null): string {
  assert.equal(n.parent, parent, `parent link of ${n.type}@${n.start}`);
  if (parent === null) {
    assert.equal(NO_CHILDREN.length, 0, "nothing wrote into the leaves' shared children list");
  }
  const own = `${n.type}:${n.field ?? ''}@${n.start}-${n.end}/${n.sr}:${n.sc}-${n.er}:${n.ec}`;
  return n.children.length ? `(${own} ${n.children.map((c) => dump(c, n)).join(' ')})` : own;
}

/** The line and UTF-16 column of an offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
