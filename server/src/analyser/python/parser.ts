// Loads tree-sitter and the Python grammar (wasm) once, and parses units fully or incrementally.
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type ParseOptions, type Range, type Tree } from 'web-tree-sitter';
import type { Position } from '../model';
import { lineStartAt, lineStartsAfter, lineStartsOf } from '../sources/text';

let ready: Promise<Parser> | undefined;

/** Finds a wasm file next to the bundle (dist/) or in node_modules (tests run from out/). */
function locate(file: string, pkg: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', file)];
  for (const c of candidates) {
    if (fs.existsSync(c)) {
      return c;
    }
  }
  // web-tree-sitter exports its wasm by name; tree-sitter-python exports package.json.
  // A computed specifier: bundles find the wasm beside them and never reach this line.
  const spec = pkg === 'web-tree-sitter' ? `${pkg}/${file}` : `${pkg}/package.json`;
  const resolved = require.resolve(spec);
  return pkg === 'web-tree-sitter' ? resolved : path.join(path.dirname(resolved), file);
}

export function loadParser(): Promise<Parser> {
  ready ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(
      fs.readFileSync(locate('tree-sitter-python.wasm', 'tree-sitter-python')),
    );
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** An LSP-style change applied to text, giving what tree-sitter's `edit` needs. */
export interface AppliedChange {
  text: string;
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: { row: number; column: number };
  oldEndPosition: { row: number; column: number };
  newEndPosition: { row: number; column: number };
}

export function offsetAt(text: string, pos: Position): number {
  return clampedAt(text, lineStartsOf(text), pos).offset;
}

/** The offset of a position and where it lies, clamped into the text (a line past the end is the end). */
function clampedAt(
  text: string,
  starts: ArrayLike<number>,
  pos: Position,
): { offset: number; row: number; column: number } {
  if (pos.line < 0) {
    return { offset: 0, row: 0, column: 0 };
  }
  if (pos.line >= starts.length) {
    const row = starts.length - 1;
    return { offset: text.length, row, column: text.length - starts[row] };
  }
  const lineStart = starts[pos.line];
  const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] - 1 : text.length;
  const offset = Math.min(lineStart + Math.max(0, pos.character), lineEnd);
  return { offset, row: pos.line, column: offset - lineStart };
}

/** Applies one change to `text`, clamping out-of-range positions instead of failing. */
export function applyChange(
  text: string,
  range: { start: Position; end: Position },
  insert: string,
  known?: string,
): AppliedChange {
  const starts = lineStartsOf(text);
  let from = clampedAt(text, starts, range.start);
  let to = clampedAt(text, starts, range.end);
  if (to.offset < from.offset) {
    [from, to] = [to, from];
  }
  // The editor's own text after this change, when the caller has it and it fits (its length, the inserted text in
  // place): no second copy of the file to build, flatten and compare on every keystroke.
  const fits =
    known !== undefined &&
    known.length === text.length - (to.offset - from.offset) + insert.length &&
    known.startsWith(insert, from.offset);
  const next = fits ? known : text.slice(0, from.offset) + insert + text.slice(to.offset);
  const nl = insert.lastIndexOf('\n');
  lineStartsAfter(starts, from.offset, to.offset, insert, next);
  carryParsed(
    text,
    next,
    starts[from.row],
    to.row + 1 < starts.length ? starts[to.row + 1] - 1 : text.length,
  );
  return {
    text: next,
    startIndex: from.offset,
    oldEndIndex: to.offset,
    newEndIndex: from.offset + insert.length,
    startPosition: { row: from.row, column: from.column },
    oldEndPosition: { row: to.row, column: to.column },
    newEndPosition:
      nl < 0
        ? { row: from.row, column: from.column + insert.length }
        : { row: from.row + countLines(insert), column: insert.length - nl - 1 },
  };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
    n++;
  }
  return n;
}

/**
 * Parses, giving up after `budgetMs` (tree-sitter-python has inputs it parses in quadratic time, e.g. long runs of
 * comment lines inside a block). Returns undefined when cut off; the parser is reset for the next call.
 */
export function parse(
  parser: Parser,
  text: string | ((index: number) => string),
  old?: Tree,
  budgetMs = Infinity,
  /** Parse only this part of the text (positions stay those of the whole text). */
  only?: Range,
): Tree | undefined {
  const deadline = Date.now() + budgetMs;
  // The callback's boolean result cancels the parse (documented in web-tree-sitter; typed as void).
  const options: ParseOptions | undefined = Number.isFinite(budgetMs)
    ? ({ progressCallback: () => Date.now() > deadline } as unknown as ParseOptions)
    : only
      ? {}
      : undefined;
  if (options && only) {
    options.includedRanges = [only];
  }
  const tree = parser.parse(typeof text === 'string' ? readerOf(text) : text, old ?? null, options);
  if (!tree) {
    parser.reset();
    return undefined;
  }
  return tree;
}

/** Characters tree-sitter copies per read: its input buffer holds 10 KB of UTF-16 (web-tree-sitter's binding). */
const READ_CHARS = 5000;

/**
 * Reads `text` (up to `end`) for tree-sitter a buffer at a time. Given a string, web-tree-sitter hands it
 * `text.slice(index)` to the end on every read, and those slices kept the whole text alive through young-generation
 * collections: measured on parses alone, every edit's text outlived its scavenge (64 KB a key on a 2,000-line file,
 * copied, then promoted), where bounded slices let it die young.
 */
export function readerOf(text: string, end = text.length): (index: number) => string {
  return (index) => (index < end ? text.slice(index, Math.min(end, index + READ_CHARS)) : '');
}

/**
 * The text tree-sitter parses: comment-only lines become spaces of the same length. tree-sitter-python rescans a
 * block's run of comment lines once per line (quadratic), and comments carry nothing the analysis reads; offsets,
 * lines and columns stay the same, so nodes still slice the original text.
 */
export function parseableText(text: string): string {
  for (let i = recentParsed.length - 1; i >= 0; i--) {
    if (recentParsed[i].text === text) {
      return recentParsed[i].parsed;
    }
  }
  const parsed = blankComments(text);
  rememberParsed(text, parsed);
  return parsed;
}

function blankComments(text: string): string {
  return text.includes('#') ? text.replace(/^[ \t]*#[^\n]*/gm, (m) => ' '.repeat(m.length)) : text;
}

/** The parseable text of the last few texts: an edit's text gets its own from the last one (`applyChange`). */
const recentParsed: { text: string; parsed: string }[] = [];

function rememberParsed(text: string, parsed: string): void {
  if (recentParsed.length >= 4) {
    recentParsed.shift();
  }
  recentParsed.push({ text, parsed });
}

/**
 * When `text`'s parseable text is known, gives `next` (its edit) one by rewriting only the edited lines: comment
 * lines are blanked line by line, so the others are as they were.
 */
function carryParsed(text: string, next: string, lineStart: number, oldLineEnd: number): void {
  const known = recentParsed.find((r) => r.text === text);
  if (known) {
    const newLineEnd = oldLineEnd + next.length - text.length;
    const lines = next.slice(lineStart, newLineEnd);
    const blanked = blankComments(lines);
    // Without a comment line on either side, the text is its own parseable text (one string, flattened once).
    rememberParsed(
      next,
      known.parsed === text && blanked === lines
        ? next
        : known.parsed.slice(0, lineStart) + blanked + known.parsed.slice(oldLineEnd),
    );
  }
}

/**
 * Widens an applied change to whole lines. `parseableText` rewrites whole comment lines, so typing `#` changes
 * more of the parsed text than the edit itself: tree-sitter must be told the entire lines changed.
 */
export function widenToLines(before: string, a: AppliedChange): AppliedChange {
  const start = lineStartAt(before, a.startIndex);
  const oldNl = before.indexOf('\n', a.oldEndIndex);
  const oldEnd = oldNl < 0 ? before.length : oldNl;
  const newNl = a.text.indexOf('\n', a.newEndIndex);
  const newEnd = newNl < 0 ? a.text.length : newNl;
  return {
    text: a.text,
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: { row: a.startPosition.row, column: 0 },
    oldEndPosition: {
      row: a.oldEndPosition.row,
      column: oldEnd - lineStartAt(before, oldEnd),
    },
    newEndPosition: {
      row: a.newEndPosition.row,
      column: newEnd - lineStartAt(a.text, newEnd),
    },
  };
}

/** The whole lines around [start, end) of `text`. */
export function linesAround(text: string, start: number, end: number): string {
  const from = lineStartAt(text, start);
  const nl = text.indexOf('\n', end);
  return text.slice(from, nl < 0 ? text.length : nl);
}

/**
 * True when a change touches a comment-only line before or after it: `parseableText` blanks such lines whole, so the
 * parsed text changes beyond the edit and tree-sitter must be told the whole lines changed (`widenToLines`). Any
 * other change is given exactly: a widened edit makes tree-sitter-python re-lex far more than the line.
 */
export function touchesCommentLine(before: string, a: AppliedChange): boolean {
  const comment = /^[ \t]*#/m;
  return (
    comment.test(linesAround(before, a.startIndex, a.oldEndIndex)) ||
    comment.test(linesAround(a.text, a.startIndex, a.newEndIndex))
  );
}
