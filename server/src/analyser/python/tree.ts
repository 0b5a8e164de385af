// A light JS copy of the tree-sitter syntax tree (named nodes only), so analysis passes never cross into wasm.
import type { Language, Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Range } from '../model';
import { detached, lineAt } from '../sources/text';

/**
 * Where the nodes of one top-level statement are: each node keeps its offsets and rows relative to its statement's
 * frame, so moving a statement after an edit moves its frame, not every node in it.
 */
export interface Frame {
  index: number;
  row: number;
}

/**
 * The children of every leaf: one shared list, never written into (children are added through `addChild`). An
 * identifier, a third of all nodes, held an empty array of its own, 32 bytes each. Not frozen: V8's `for...of` over a
 * frozen array took a slow path, and a keystroke in a large class walks every node of it (30% slower).
 */
export const NO_CHILDREN: PyNode[] = [];

export class PyNode {
  declare type: string;
  /** The field this node fills in its parent (`function`, `arguments`, `name`...). */
  declare field: string | null;
  /** Start and end offsets, start and end rows, relative to `frame`; read them as `start`, `end`, `sr`, `er`. */
  declare s: number;
  declare e: number;
  declare r0: number;
  declare r1: number;
  /** Columns: moving a statement to other rows never changes them. */
  declare sc: number;
  declare ec: number;
  declare children: PyNode[];
  declare parent: PyNode | null;
  /** An identifier's text, cached on first use: kept statements keep it across keystrokes. */
  declare text: string | undefined;
  /** A plain string literal's value, cached by the interpreter (opaque here). */
  declare lit: unknown;
  /** Shared by the module's root alone, or by every node of one top-level statement. */
  declare frame: Frame;

  constructor(
    type: string,
    field: string | null,
    start: number,
    end: number,
    sr: number,
    sc: number,
    er: number,
    ec: number,
    parent: PyNode | null,
    frame: Frame,
  ) {
    // Every field set here, in one order, so every node has one shape (monomorphic access in the passes).
    this.type = type;
    this.field = field;
    this.s = start - frame.index;
    this.e = end - frame.index;
    this.r0 = sr - frame.row;
    this.r1 = er - frame.row;
    this.sc = sc;
    this.ec = ec;
    this.children = NO_CHILDREN;
    this.parent = parent;
    this.text = undefined;
    this.lit = undefined;
    this.frame = frame;
  }

  get start(): number {
    return this.s + this.frame.index;
  }
  set start(v: number) {
    this.s = v - this.frame.index;
  }
  get end(): number {
    return this.e + this.frame.index;
  }
  set end(v: number) {
    this.e = v - this.frame.index;
  }
  get sr(): number {
    return this.r0 + this.frame.row;
  }
  set sr(v: number) {
    this.r0 = v - this.frame.row;
  }
  get er(): number {
    return this.r1 + this.frame.row;
  }
  set er(v: number) {
    this.r1 = v - this.frame.row;
  }
}

/** A new frame, for the root or a top-level statement. */
export function newFrame(): Frame {
  return { index: 0, row: 0 };
}

/** The root of a module with nothing in it (a unit that cannot be analysed). */
export function emptyModule(): PyNode {
  return new PyNode('module', null, 0, 0, 0, 0, 0, 0, null, newFrame());
}

/**
 * Moves a top-level statement by `delta` characters and `rowDelta` rows, in constant time: its nodes are positioned
 * in its frame. (Its columns stay: it starts on a row the edit did not touch.)
 */
export function moveStatement(stmt: PyNode, delta: number, rowDelta: number): void {
  stmt.frame.index += delta;
  stmt.frame.row += rowDelta;
}

/** Anonymous tokens worth keeping: operators that change a value's meaning. */
const KEPT_ANONYMOUS = new Set(['+', '/', '%', '*', '**']);

/** Whether the cursor's node has a copy in our tree: named nodes, missing ones and kept operators, not comments. */
export function kept(cursor: TreeCursor): boolean {
  const type = cursor.nodeType;
  return type !== 'comment' && (cursor.nodeIsNamed || cursor.nodeIsMissing || KEPT_ANONYMOUS.has(type));
}

/** Roots converted from a tree without syntax errors (or kept so by statement reparses). */
const cleanRoots = new WeakSet<PyNode>();

/** True when the module's tree had no ERROR or MISSING node. */
export function isClean(root: PyNode): boolean {
  return cleanRoots.has(root);
}

/** Records whether a converted root's syntax is free of errors. */
export function setClean(root: PyNode, clean: boolean): void {
  if (clean) {
    cleanRoots.add(root);
  } else {
    cleanRoots.delete(root);
  }
}

/** Converts with a cursor (the fastest way through web-tree-sitter); comments are dropped. */
export function convertTree(tree: Tree): PyNode {
  const cursor = tree.walk();
  const root = makeNode(cursor, null, newFrame());
  setClean(root, !tree.rootNode.hasError);
  const stack: PyNode[] = [root];
  if (!cursor.gotoFirstChild()) {
    cursor.delete();
    return root;
  }
  for (;;) {
    const parent = stack[stack.length - 1];
    let descended = false;
    if (kept(cursor)) {
      const node = makeNode(cursor, parent, parent === root ? newFrame() : parent.frame);
      addChild(parent, node);
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
export function fitChildren(n: PyNode): void {
  if (n.children.length) {
    n.children = n.children.slice();
  }
}

/** Appends a child: a leaf's shared empty list is replaced by a list of its own. */
export function addChild(parent: PyNode, node: PyNode): void {
  if (parent.children === NO_CHILDREN) {
    parent.children = [node];
  } else {
    parent.children.push(node);
  }
}

export function makeNode(c: TreeCursor, parent: PyNode | null, frame: Frame): PyNode {
  const sp = c.startPosition;
  const ep = c.endPosition;
  return new PyNode(
    c.nodeIsMissing ? 'MISSING' : c.nodeType,
    c.currentFieldName,
    c.startIndex,
    c.endIndex,
    sp.row,
    sp.column,
    ep.row,
    ep.column,
    parent,
    frame,
  );
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

/**
 * The text of a node, detached from `src`: names, keys and values cut from the text outlive the keystroke (in
 * globals, attributes, values, events), and a plain slice kept that keystroke's whole text alive.
 */
export function textOf(src: string, n: PyNode): string {
  return detached(src.slice(n.start, n.end));
}

/** The text of a name node (identifier, keyword, attribute name), cached on the node. */
export function nameOf(src: string, n: PyNode): string {
  return (n.text ??= textOf(src, n));
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

/** Converts the node under the cursor and its subtree, in `frame`; leaves the cursor where it found it. */
export function convertSubtree(cursor: TreeCursor, parent: PyNode, frame: Frame): PyNode {
  const node = makeNode(cursor, parent, frame);
  if (cursor.gotoFirstChild()) {
    do {
      if (kept(cursor)) {
        addChild(node, convertSubtree(cursor, node, frame));
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    fitChildren(node);
  }
  return node;
}

/** Offsets to rows and columns over a few lines of a text (what tree-sitter's positions are, without asking it). */
export class LineSpan {
  private readonly starts: number[];

  constructor(
    text: string,
    from: number,
    to: number,
    private readonly firstRow: number,
  ) {
    this.starts = [from];
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }

  /** The line (index into the span) holding `offset`. */
  line(offset: number): number {
    return lineAt(this.starts, offset);
  }

  row(line: number): number {
    return this.firstRow + line;
  }

  column(line: number, offset: number): number {
    return offset - this.starts[line];
  }
}

/** The cursor node's type when our tree keeps a copy of it (as `kept`), in one wasm call for most nodes. */
export function keptType(cursor: TreeCursor, language: Language): string | undefined {
  const id = cursor.nodeTypeId;
  const type = language.types[id] || 'ERROR';
  if (type === 'comment') {
    return undefined;
  }
  // (An id past the language's symbols is ERROR's, a named node.)
  const named = namedTable(language)[id] ?? true;
  return named || KEPT_ANONYMOUS.has(type) || cursor.nodeIsMissing ? type : undefined;
}

/** Per language: whether each node type id is named (a wasm call per id otherwise). */
const namedTables = new WeakMap<Language, boolean[]>();

function namedTable(language: Language): boolean[] {
  let table = namedTables.get(language);
  if (!table) {
    table = language.types.map((_, id) => language.nodeTypeIsNamed(id));
    namedTables.set(language, table);
  }
  return table;
}

/**
 * `convertSubtree` for a tree without errors (no MISSING node to look for), with rows and columns from `lines`:
 * about half the wasm calls per node, the bulk of a keystroke's conversion.
 */
export function convertCleanSubtree(
  cursor: TreeCursor,
  parent: PyNode,
  frame: Frame,
  lines: LineSpan,
  language: Language,
): PyNode {
  return convertClean(cursor, parent, frame, lines, language.types, language.fields, namedTable(language));
}

function convertClean(
  cursor: TreeCursor,
  parent: PyNode,
  frame: Frame,
  lines: LineSpan,
  types: string[],
  fields: (string | null)[],
  named: boolean[],
): PyNode {
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  const sl = lines.line(start);
  const el = lines.line(end);
  const node = new PyNode(
    types[cursor.nodeTypeId] || 'ERROR',
    fields[cursor.currentFieldId],
    start,
    end,
    lines.row(sl),
    lines.column(sl, start),
    lines.row(el),
    lines.column(el, end),
    parent,
    frame,
  );
  if (cursor.gotoFirstChild()) {
    do {
      const id = cursor.nodeTypeId;
      const type = types[id] || 'ERROR';
      if (type !== 'comment' && ((named[id] ?? true) || KEPT_ANONYMOUS.has(type))) {
        addChild(node, convertClean(cursor, node, frame, lines, types, fields, named));
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    fitChildren(node);
  }
  return node;
}

export type { TsNode };
