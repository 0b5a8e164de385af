// Incremental conversion: reuses the old copy of every top-level statement an edit did not touch, moved into place.
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import type { AppliedChange } from './parser';
import { lineStartAt } from '../sources/text';
import {
  addChild,
  child,
  convertCleanSubtree,
  convertSubtree,
  fitChildren,
  kept,
  keptType,
  LineSpan,
  makeNode,
  moveStatement,
  newFrame,
  setClean,
  type PyNode,
} from './tree';

/** What one text change did, in the coordinates tree-sitter's `edit` takes. */
export interface ShiftInfo {
  startIndex: number;
  /** The row of `startIndex` (counted from the text when absent). */
  startRow?: number;
  oldEndIndex: number;
  newEndIndex: number;
  oldEndRow: number;
  newEndRow: number;
}

/** The shift one applied change makes: where it starts, and where the old and the new text of its span end. */
export function shiftOf(a: AppliedChange): ShiftInfo {
  return {
    startIndex: a.startIndex,
    startRow: a.startPosition.row,
    oldEndIndex: a.oldEndIndex,
    newEndIndex: a.newEndIndex,
    oldEndRow: a.oldEndPosition.row,
    newEndRow: a.newEndPosition.row,
  };
}

/**
 * Statements made by a reparse of statements alone (`reparseStatements`), newer than the module's tree-sitter tree:
 * the tree's changed ranges know nothing of them, so the next full reparse converts them again.
 */
export const aheadOfTree = new WeakSet<PyNode>();

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
  const root = makeNode(cursor, null, newFrame());
  const byStart = new Map(oldRoot.children.map((c) => [c.start, c]));
  const indexOf = new Map(oldRoot.children.map((c, i) => [c, i]));
  const used = new Set<PyNode>();
  /** The old statement after the last one kept. */
  let next = 0;
  const delta = shift.newEndIndex - shift.oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  // Where the edited line ends in the new text: a statement starting later starts on a later row.
  const lineEnd = texts ? texts.new.indexOf('\n', shift.newEndIndex) : -1;
  const clean = !tree.rootNode.hasError;
  if (cursor.gotoFirstChild()) {
    do {
      const type = keptType(cursor, tree.language);
      if (type === undefined) {
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
      const stale = old !== undefined && aheadOfTree.has(old);
      let keep: PyNode | undefined;
      if (old && !touched && !stale && end <= shift.startIndex) {
        keep = old.end === end && old.type === type ? old : undefined;
      } else if (
        old &&
        !touched &&
        !stale &&
        after &&
        (lineEnd >= 0 ? start > lineEnd : cursor.startPosition.row > shift.newEndRow)
      ) {
        // (A statement later on the edited line would need its columns moved too: it is converted again.)
        if (old.end === end - delta && old.type === type) {
          moveStatement(old, delta, rowDelta);
          keep = old;
        }
      }
      if (!keep && old && clean && texts && !stale && !outsideClassBody(old, shift)) {
        // A class holding the edit (agents keep their code in one): its untouched body statements are reused.
        const cls = reuseClassBody(cursor, root, old, changed, shift, lineEnd, tree.language, texts);
        if (cls) {
          used.add(old);
          next = (indexOf.get(old) ?? -1) + 1;
          addChild(root, cls);
          continue;
        }
      }
      if (!keep) {
        // (Without syntax errors the clean converter takes rows and columns from the text: about half the wasm calls,
        // which is most of a keystroke inside one large statement, such as an agent class.)
        const fresh =
          clean && texts
            ? convertCleanSubtree(
                cursor,
                root,
                newFrame(),
                spanOf(texts.new, start, end, cursor.startPosition.row),
                tree.language,
              )
            : convertSubtree(cursor, root, newFrame());
        // The statement holding the edit: when only comment lines, blank lines or trailing spaces changed, keep the
        // old nodes (moved to the new positions), so its index and the analysis built on it stay valid.
        if (old && texts && sameSyntax(old, texts.old, fresh, texts.new)) {
          movePositions(old, fresh);
          aheadOfTree.delete(old);
          keep = old;
        } else {
          addChild(root, fresh);
          continue;
        }
      }
      used.add(keep);
      next = (indexOf.get(keep) ?? -1) + 1;
      keep.parent = root;
      addChild(root, keep);
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
    setClean(oldRoot, clean);
    return oldRoot;
  }
  dropReplaced(oldRoot.children, root.children);
  setClean(root, clean);
  return root;
}

/**
 * Statements of the old root that are not in the new one (replaced, or a class whose body was rebuilt) leave the
 * tree: anything still holding one of their nodes (a value's site) held through their parent link an old root, whose
 * statements held older roots in turn, every version since.
 */
export function dropReplaced(old: readonly PyNode[], now: readonly PyNode[]): void {
  const kept = new Set(now);
  for (const c of old) {
    if (!kept.has(c)) {
      c.parent = null;
    }
  }
}

/** The lines holding [start, end): from the start of the first one, so columns count from there. */
function spanOf(text: string, start: number, end: number, row: number): LineSpan {
  return new LineSpan(text, lineStartAt(text, start), end, row);
}

/** True unless `old` is a class and the edit lies inside its body, from its first body statement on. */
function outsideClassBody(old: PyNode, shift: ShiftInfo): boolean {
  const body = old.type === 'class_definition' ? child(old, 'body') : undefined;
  const first = body?.children[0];
  return !first || shift.startIndex <= first.start || shift.oldEndIndex > old.end;
}

/**
 * The new copy of a class an edit changed, its body reusing the old copies of the statements the edit did not touch
 * (those after it moved node by node: they share the class's frame), and its header (name, bases) the old nodes when
 * their syntax is the same: the index then keeps the class and what its bases evaluate to. Undefined when the class's
 * shape moved.
 */
function reuseClassBody(
  cursor: TreeCursor,
  parent: PyNode,
  old: PyNode,
  changed: { startIndex: number; endIndex: number }[],
  shift: ShiftInfo,
  lineEnd: number,
  language: Language,
  texts: { old: string; new: string },
): PyNode | undefined {
  const text = texts.new;
  if (cursor.nodeType !== 'class_definition' || cursor.startIndex !== old.start) {
    return undefined;
  }
  const oldBody = child(old, 'body') as PyNode;
  const frame = old.frame;
  const delta = shift.newEndIndex - shift.oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  const cls = makeNode(cursor, parent, frame);
  const byStart = new Map(oldBody.children.map((c) => [c.start, c]));
  let reused = 0;
  if (cursor.gotoFirstChild()) {
    do {
      if (!kept(cursor)) {
        continue;
      }
      if (cursor.currentFieldName !== 'body') {
        const fresh = convertSubtree(cursor, cls, frame);
        // (The edit lies in the body, after the header: an old header node with the same syntax is where it was.)
        const was = old.children.find((c) => c.field === fresh.field && c.start === fresh.start);
        const same = was !== undefined && was.end === fresh.end && sameSyntax(was, texts.old, fresh, text);
        if (same) {
          was.parent = cls;
        }
        addChild(cls, same ? was : fresh);
        continue;
      }
      const body = makeNode(cursor, cls, frame);
      addChild(cls, body);
      if (cursor.gotoFirstChild()) {
        do {
          if (!kept(cursor)) {
            continue;
          }
          const start = cursor.startIndex;
          const end = cursor.endIndex;
          const touched = changed.some((r) => r.startIndex < end + 1 && r.endIndex > start - 1);
          const before = end <= shift.startIndex;
          const after = start >= shift.newEndIndex && start > lineEnd;
          const was = before ? byStart.get(start) : after ? byStart.get(start - delta) : undefined;
          const same =
            was !== undefined && was.type === cursor.nodeType && was.end === (before ? end : end - delta);
          if (!touched && same) {
            if (after) {
              shiftNode(was, delta, rowDelta);
            }
            was.parent = body;
            addChild(body, was);
            reused++;
          } else {
            addChild(
              body,
              convertCleanSubtree(
                cursor,
                body,
                frame,
                spanOf(text, start, end, cursor.startPosition.row),
                language,
              ),
            );
          }
        } while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      fitChildren(body);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  fitChildren(cls);
  return reused ? cls : undefined;
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
export function movePositions(to: PyNode, from: PyNode, deep = true): void {
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

/**
 * Moves a node and its subtree: a top-level statement by its frame (constant time), a node inside one node by node.
 */
function shiftNode(n: PyNode, delta: number, rowDelta: number): void {
  if (n.parent && n.parent.frame !== n.frame) {
    moveStatement(n, delta, rowDelta);
    return;
  }
  n.start += delta;
  n.end += delta;
  n.sr += rowDelta;
  n.er += rowDelta;
  for (const c of n.children) {
    shiftNode(c, delta, rowDelta);
  }
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
export function moveAroundBlankEdit(root: PyNode, shift: ShiftInfo, newText: string): void {
  moveAround(root, shift, newText);
  // The module starts at its first token (blank lines before it moved it), or at the end of a text without any.
  const first = root.children[0] as PyNode | undefined;
  root.start = first ? first.start : root.end;
  root.sr = first ? first.sr : root.er;
  root.sc = first ? first.sc : root.ec;
}

function moveAround(n: PyNode, shift: ShiftInfo, newText: string): void {
  const delta = shift.newEndIndex - shift.oldEndIndex;
  const rowDelta = shift.newEndRow - shift.oldEndRow;
  if (n.end < shift.oldEndIndex) {
    return;
  }
  n.end += delta;
  n.er += rowDelta;
  // Only a node ending at the edited line's end (the module, at the end of the text) sees its end column move.
  n.ec = n.end - lineStartAt(newText, n.end);
  for (const c of n.children) {
    if (c.start >= shift.oldEndIndex) {
      shiftNode(c, delta, rowDelta);
    } else {
      moveAround(c, shift, newText);
    }
  }
}
