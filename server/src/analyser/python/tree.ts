// A light JS copy of the tree-sitter syntax tree (named nodes only), so analysis passes never cross into wasm.
import type { Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Range } from '../model';

export interface PyNode {
  type: string;
  /** The field this node fills in its parent (`function`, `arguments`, `name`...). */
  field: string | null;
  start: number;
  end: number;
  sr: number;
  sc: number;
  er: number;
  ec: number;
  children: PyNode[];
  parent: PyNode | null;
  /** An identifier's text, cached on first use: kept statements keep it across keystrokes. */
  text?: string;
  /** A plain string literal's value, cached by the interpreter (opaque here). */
  lit?: unknown;
}

/** Anonymous tokens worth keeping: operators that change a value's meaning. */
const KEPT_ANONYMOUS = new Set(['+', '/', '%', '*', '**']);

/** Converts with a cursor (the fastest way through web-tree-sitter); comments are dropped. */
export function convertTree(tree: Tree): PyNode {
  const cursor = tree.walk();
  const root = makeNode(cursor, null);
  const stack: PyNode[] = [root];
  if (!cursor.gotoFirstChild()) {
    cursor.delete();
    return root;
  }
  for (;;) {
    const parent = stack[stack.length - 1];
    const type = cursor.nodeType;
    const keep =
      type !== 'comment' && (cursor.nodeIsNamed || cursor.nodeIsMissing || KEPT_ANONYMOUS.has(type));
    let descended = false;
    if (keep) {
      const node = makeNode(cursor, parent);
      parent.children.push(node);
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        descended = true;
      }
    }
    if (descended) {
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) {
        cursor.delete();
        stack.forEach(fitChildren);
        return root;
      }
      fitChildren(stack.pop() as PyNode);
    }
  }
}

/**
 * Gives a finished node a children array of its exact size. Arrays grown by push keep room for 17 and more, and
 * every module's tree stays in memory: in an indexed workspace that slack was about a fifth of the heap.
 */
function fitChildren(n: PyNode): void {
  if (n.children.length) {
    n.children = n.children.slice();
  }
}

function makeNode(c: TreeCursor, parent: PyNode | null): PyNode {
  const sp = c.startPosition;
  const ep = c.endPosition;
  return {
    type: c.nodeIsMissing ? 'MISSING' : c.nodeType,
    field: c.currentFieldName,
    start: c.startIndex,
    end: c.endIndex,
    sr: sp.row,
    sc: sp.column,
    er: ep.row,
    ec: ep.column,
    children: [],
    parent,
    // Present from the start so every node has one shape (monomorphic property access in the passes).
    text: undefined,
    lit: undefined,
  };
}

export function child(n: PyNode | undefined, field: string): PyNode | undefined {
  return n?.children.find((c) => c.field === field);
}

export function childrenOf(n: PyNode | undefined, field: string): PyNode[] {
  return n ? n.children.filter((c) => c.field === field) : [];
}

export function rangeOf(n: PyNode): Range {
  return { start: { line: n.sr, character: n.sc }, end: { line: n.er, character: n.ec } };
}

export function textOf(src: string, n: PyNode): string {
  return src.slice(n.start, n.end);
}

/** The text of a name node (identifier, keyword, attribute name), cached on the node. */
export function nameOf(src: string, n: PyNode): string {
  return (n.text ??= src.slice(n.start, n.end));
}

/** Depth-first visit; return false from the visitor to skip a node's children. */
export function visit(n: PyNode, f: (n: PyNode) => boolean | void): void {
  if (f(n) === false) {
    return;
  }
  for (const c of n.children) {
    visit(c, f);
  }
}

/** The innermost node covering a position (line, UTF-16 column). */
export function nodeAt(root: PyNode, line: number, character: number): PyNode {
  let cur = root;
  for (;;) {
    const next = cur.children.find(
      (c) => before(c.sr, c.sc, line, character) && before(line, character, c.er, c.ec),
    );
    if (!next) {
      return cur;
    }
    cur = next;
  }
}

function before(r1: number, c1: number, r2: number, c2: number): boolean {
  return r1 < r2 || (r1 === r2 && c1 <= c2);
}

export type { TsNode };

/** What one text change did, in the coordinates tree-sitter's `edit` takes. */
export interface ShiftInfo {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  oldEndRow: number;
  newEndRow: number;
}

/**
 * Converts a reparsed tree, reusing the old copy of every top-level statement whose syntax did not change (shifted
 * into place), so a keystroke re-walks one statement instead of the whole file.
 */
export function convertTreeReusing(
  tree: Tree,
  changed: { startIndex: number; endIndex: number }[],
  oldRoot: PyNode,
  shift: ShiftInfo,
  /** The texts the old and the new tree were parsed from, to recognise a statement only re-spaced or commented. */
  texts?: { old: string; new: string },
): PyNode {
  const cursor = tree.walk();
  const root = makeNode(cursor, null);
  const byStart = new Map(oldRoot.children.map((c) => [c.start, c]));
  const indexOf = new Map(oldRoot.children.map((c, i) => [c, i]));
  const used = new Set<PyNode>();
  /** The old statement after the last one kept. */
  let next = 0;
  const delta = shift.newEndIndex - shift.oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  if (cursor.gotoFirstChild()) {
    do {
      const type = cursor.nodeType;
      if (type === 'comment' || (!cursor.nodeIsNamed && !KEPT_ANONYMOUS.has(type))) {
        continue;
      }
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const touched = changed.some((r) => r.startIndex < end + 1 && r.endIndex > start - 1);
      // The old statement in the same place: moved by the edit when after it, as it was when before it, else the
      // next one in order (a statement that starts inside the edit, after inserted blank lines).
      const after = start >= shift.newEndIndex;
      const candidate = after
        ? byStart.get(start - delta)
        : start <= shift.startIndex
          ? byStart.get(start)
          : oldRoot.children[next];
      const old = candidate && !used.has(candidate) ? candidate : undefined;
      let kept: PyNode | undefined;
      if (old && !touched && end <= shift.startIndex) {
        kept = old.end === end && old.type === type ? old : undefined;
      } else if (old && !touched && after && cursor.startPosition.row > shift.newEndRow) {
        // (A statement later on the edited line would need its columns moved too: it is converted again.)
        if (old.end === end - delta && old.type === type) {
          shiftNode(old, delta, rowDelta);
          kept = old;
        }
      }
      if (!kept) {
        const fresh = convertSubtree(cursor, root);
        // The statement holding the edit: when only comment lines, blank lines or trailing spaces changed, keep the
        // old nodes (moved to the new positions), so its index and the analysis built on it stay valid.
        if (old && texts && sameSyntax(old, texts.old, fresh, texts.new)) {
          movePositions(old, fresh);
          kept = old;
        } else {
          root.children.push(fresh);
          continue;
        }
      }
      used.add(kept);
      next = (indexOf.get(kept) ?? -1) + 1;
      kept.parent = root;
      root.children.push(kept);
    } while (cursor.gotoNextSibling());
  }
  cursor.delete();
  if (
    root.children.length === oldRoot.children.length &&
    root.children.every((c, i) => c === oldRoot.children[i])
  ) {
    // Every statement kept: the module means what it meant. The old root stays, so callers can tell.
    movePositions(oldRoot, root, false);
    for (const c of oldRoot.children) {
      c.parent = oldRoot;
    }
    return oldRoot;
  }
  return root;
}

/**
 * True when two statements differ only in what Python ignores: comment-only lines (blanked before parsing), blank
 * lines and trailing spaces. Same shape, same text for every leaf and string literal, same code line by line.
 */
export function sameSyntax(a: PyNode, aSrc: string, b: PyNode, bSrc: string): boolean {
  return (
    sameShape(a, aSrc, b, bSrc) &&
    codeLines(aSrc.slice(a.start, a.end)) === codeLines(bSrc.slice(b.start, b.end))
  );
}

function sameShape(a: PyNode, aSrc: string, b: PyNode, bSrc: string): boolean {
  if (a.type !== b.type || a.field !== b.field || a.children.length !== b.children.length) {
    return false;
  }
  if (
    (a.children.length === 0 || a.type === 'string') &&
    aSrc.slice(a.start, a.end) !== bSrc.slice(b.start, b.end)
  ) {
    return false;
  }
  return a.children.every((c, i) => sameShape(c, aSrc, b.children[i], bSrc));
}

function codeLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .join('\n');
}

/** Gives `to` (and, when `deep`, its subtree) the positions of the same-shaped `from`. */
function movePositions(to: PyNode, from: PyNode, deep = true): void {
  to.start = from.start;
  to.end = from.end;
  to.sr = from.sr;
  to.sc = from.sc;
  to.er = from.er;
  to.ec = from.ec;
  if (deep) {
    to.children.forEach((c, i) => movePositions(c, from.children[i]));
  }
}

function shiftNode(n: PyNode, delta: number, rowDelta: number): void {
  n.start += delta;
  n.end += delta;
  n.sr += rowDelta;
  n.er += rowDelta;
  for (const c of n.children) {
    shiftNode(c, delta, rowDelta);
  }
}

/** Converts the node under the cursor and its subtree; leaves the cursor where it found it. */
function convertSubtree(cursor: TreeCursor, parent: PyNode): PyNode {
  const node = makeNode(cursor, parent);
  if (cursor.gotoFirstChild()) {
    do {
      const type = cursor.nodeType;
      if (type !== 'comment' && (cursor.nodeIsNamed || cursor.nodeIsMissing || KEPT_ANONYMOUS.has(type))) {
        node.children.push(convertSubtree(cursor, node));
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    fitChildren(node);
  }
  return node;
}

/** Node types whose text is content even on a blank line (a multi-line string), or whose parse is uncertain. */
const BLANK_SENSITIVE = new Set(['string', 'string_content', 'concatenated_string', 'ERROR', 'MISSING']);

/** True when the text range [start, end) lies inside a string or an error node of the tree. */
export function insideSensitive(root: PyNode, start: number, end: number): boolean {
  const stop = Math.max(end, start + 1);
  for (const c of root.children) {
    if (c.start < stop && c.end > start && (BLANK_SENSITIVE.has(c.type) || insideSensitive(c, start, end))) {
      return true;
    }
  }
  return false;
}

/**
 * Moves the nodes of a tree around an edit that only changed whole blank lines (what tree-sitter's `edit` does to
 * its own tree): nodes after it shift, nodes around it stretch, nodes before it stay.
 */
export function moveAroundBlankEdit(n: PyNode, shift: ShiftInfo, newText: string): void {
  const delta = shift.newEndIndex - shift.oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  if (n.end < shift.oldEndIndex) {
    return;
  }
  n.end += delta;
  n.er += rowDelta;
  // Only a node ending at the edited line's end (the module, at the end of the text) sees its end column move.
  n.ec = n.end - (newText.lastIndexOf('\n', n.end - 1) + 1);
  for (const c of n.children) {
    if (c.start >= shift.oldEndIndex) {
      shiftNode(c, delta, rowDelta);
    } else {
      moveAroundBlankEdit(c, shift, newText);
    }
  }
}
