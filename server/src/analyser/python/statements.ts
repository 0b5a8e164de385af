// Reparses only the top-level statements an edit touched, so a keystroke costs its statement, not the file.
import type { Parser, Range } from 'web-tree-sitter';
import { parse, readerOf } from './parser';
import { lineStartAt } from '../sources/text';
import { aheadOfTree, dropReplaced, movePositions, sameSyntax, type ShiftInfo } from './reuse';
import {
  convertCleanSubtree,
  isClean,
  kept,
  LineSpan,
  moveStatement,
  newFrame,
  PyNode,
  setClean,
} from './tree';

/**
 * Lines up to this long are always parsed alone. A fresh parse costs about 16 times what tree-sitter's incremental
 * reparse costs per character of the file, so longer ones (a method in a large class) only in a 16 times longer file.
 */
export const SMALL_LINES = 4000;

/**
 * The new root after an edit, built from the old statements around it and a parse of the lines it touched alone (a
 * tree-sitter parse limited to those lines: tree-sitter-python's incremental reparse of a whole file re-lexes far
 * more than the edit). The old root itself when the touched statements kept their syntax (only re-spaced).
 *
 * Undefined whenever the edit might reach beyond those lines, and the caller reparses the file: the old tree had a
 * syntax error, the lines do not parse cleanly alone (an open bracket or string), a line continuation crosses their
 * edges, or a statement in them does not start a line. Top-level statements of an error-free module start at column
 * 0 after a complete one, so with none of those, the lines parse alone as they do in the file.
 *
 * The module's tree-sitter tree is left behind (edited, not reparsed): the next full reparse catches up.
 */
export function reparseStatements(
  parser: Parser,
  oldRoot: PyNode,
  shift: ShiftInfo,
  /** The texts the old tree and the new one are parsed from (comment-only lines blanked). */
  texts: { old: string; new: string },
  budgetMs: number,
): PyNode | undefined {
  const stmts = oldRoot.children;
  if (!isClean(oldRoot) || stmts.length === 0 || oldRoot.end !== texts.old.length) {
    return undefined;
  }
  const { startIndex, oldEndIndex } = shift;
  const delta = shift.newEndIndex - oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  // The statements the edit touches, [i0, i1), widened to whole lines (`a = 1; b = 2` share one).
  let i0 = firstIndex(stmts, (c) => c.end >= startIndex);
  let i1 = firstIndex(stmts, (c) => c.start > oldEndIndex);
  let from = lineStartAt(texts.old, i0 < i1 ? Math.min(startIndex, stmts[i0].start) : startIndex);
  while (i0 > 0 && stmts[i0 - 1].end >= from) {
    i0--;
    from = lineStartAt(texts.old, stmts[i0].start);
  }
  let lastEnd = i1 > i0 ? Math.max(oldEndIndex, stmts[i1 - 1].end) : oldEndIndex;
  while (i1 < stmts.length && texts.old.lastIndexOf('\n', stmts[i1].start - 1) < lastEnd) {
    lastEnd = stmts[i1].end;
    i1++;
  }
  const next = stmts[i1] as PyNode | undefined;
  if (next && next.sc !== 0) {
    return undefined;
  }
  // The lines in the new text: up to the next statement (its line start), or to the end.
  const to = next ? next.start + delta : texts.new.length;
  if (to - from > SMALL_LINES && (to - from) * 16 > texts.new.length) {
    return undefined;
  }
  // (A continuation inside the lines too: after an indented block, the lines alone lack the dedent a file has.)
  if (
    continues(texts.new, from) ||
    (next && continues(texts.new, to)) ||
    hasContinuation(texts.new, from, to)
  ) {
    return undefined;
  }
  const fromRow =
    i0 < i1 && from === lineStartAt(texts.old, stmts[i0].start)
      ? stmts[i0].sr
      : (shift.startRow ?? rowAfter(texts.old, i0 > 0 ? stmts[i0 - 1] : undefined, from));
  const endRow = next ? next.sr + rowDelta : oldRoot.er + rowDelta;
  const range: Range = {
    startIndex: from,
    endIndex: to,
    startPosition: { row: fromRow, column: 0 },
    endPosition: { row: endRow, column: to - lineStartAt(texts.new, to) },
  };
  const fresh = parseLines(parser, texts.new, range, budgetMs);
  if (!fresh || (i0 === 0 && fresh.statements.length === 0 && !next)) {
    // (A module left without statements: the full parse gives its extent.)
    return undefined;
  }
  // Statements whose syntax is unchanged keep their old nodes (moved), so their index and values stay valid.
  const region = fresh.statements.map((s, k) => {
    const old = i0 + k < i1 ? stmts[i0 + k] : undefined;
    if (old && old.type === s.type && sameSyntax(old, texts.old, s, texts.new)) {
      movePositions(old, s);
      return old;
    }
    aheadOfTree.add(s);
    return s;
  });
  for (let k = i1; k < stmts.length; k++) {
    moveStatement(stmts[k], delta, rowDelta);
  }
  const first = (i0 > 0 ? stmts[0] : (region[0] ?? next)) as PyNode;
  const sameStatements = region.length === i1 - i0 && region.every((s, k) => s === stmts[i0 + k]);
  const root = sameStatements ? oldRoot : new PyNode('module', null, 0, 0, 0, 0, 0, 0, null, newFrame());
  // The module spans from its first statement to the end of the text (tree-sitter's extent for a module).
  root.start = i0 > 0 ? oldRoot.start : first.start;
  root.sr = i0 > 0 ? oldRoot.sr : first.sr;
  root.sc = i0 > 0 ? oldRoot.sc : first.sc;
  root.end = texts.new.length;
  root.er = oldRoot.er + rowDelta;
  root.ec = texts.new.length - lineStartAt(texts.new, texts.new.length);
  if (!sameStatements) {
    dropReplaced(stmts.slice(i0, i1), region);
    // (One copy of the module's statement list, edited in place: spreading two slices and the region built two more.)
    root.children = stmts.slice();
    root.children.splice(i0, i1 - i0, ...region);
    for (const c of root.children) {
      c.parent = root;
    }
    setClean(root, true);
  }
  return root;
}

/** The top-level statements of a parse limited to `range`, converted; undefined if it has any syntax error. */
function parseLines(
  parser: Parser,
  text: string,
  range: Range,
  budgetMs: number,
): { statements: PyNode[] } | undefined {
  // Read only the lines.
  const tree = parse(parser, readerOf(text, range.endIndex), undefined, budgetMs, range);
  if (!tree) {
    return undefined;
  }
  const cursor = tree.walk();
  try {
    if (tree.rootNode.hasError) {
      return undefined;
    }
    // A provisional parent: the caller gives the statements their root.
    const holder = new PyNode('module', null, 0, 0, 0, 0, 0, 0, null, newFrame());
    const statements: PyNode[] = [];
    const lines = new LineSpan(text, range.startIndex, range.endIndex, range.startPosition.row);
    if (cursor.gotoFirstChild()) {
      do {
        if (!kept(cursor)) {
          continue;
        }
        if (cursor.startPosition.column !== 0) {
          return undefined;
        }
        statements.push(convertCleanSubtree(cursor, holder, newFrame(), lines, tree.language));
      } while (cursor.gotoNextSibling());
    }
    return { statements };
  } catch (e) {
    // Nesting too deep for the recursive conversion: the full reparse reports it.
    if (e instanceof RangeError) {
      return undefined;
    }
    throw e;
  } finally {
    cursor.delete();
    tree.delete();
  }
}

/** The first index whose statement satisfies `test` (false then true along the array), or the length. */
function firstIndex(stmts: PyNode[], test: (c: PyNode) => boolean): number {
  let lo = 0;
  let hi = stmts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(stmts[mid])) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/** True when the line before the line starting at `offset` ends in a backslash: the two are one logical line. */
function continues(text: string, offset: number): boolean {
  return offset >= 2 && text[offset - 2] === '\\';
}

/**
 * True when the lines hold a backslash continuation (or a form feed): alone, they are read without the dedent the
 * file has pending after an indented block, and a continuation there is an error only in the file.
 */
function hasContinuation(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0c || (c === 0x5c && (i + 1 === text.length || text.charCodeAt(i + 1) === 0x0a))) {
      return true;
    }
  }
  return false;
}

/** The row of a line start, counted from the end of the statement before it (or from the top). */
function rowAfter(text: string, prev: PyNode | undefined, offset: number): number {
  let row = prev ? prev.er : 0;
  for (let i = text.indexOf('\n', prev ? prev.end : 0); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
  }
  return row;
}
