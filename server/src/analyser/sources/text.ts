// Text shared by every source kind: normalisation (BOM, NUL bytes, line endings, keeping lines and columns as an editor shows them), line starts, and cuts detached from their text.

/**
 * Editors drop a leading BOM and count LF, CRLF and a lone CR each as one line break. Tree-sitter counts only
 * LF, so CRLF/CR become LF; NUL becomes a space because some lexers treat it as end of input. Neither
 * change moves a line or a column.
 */
export function normaliseText(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes('\r')) {
    t = t.replace(/\r\n?/g, '\n');
  }
  if (t.includes('\0')) {
    t = t.replace(/\0/g, ' ');
  }
  return t;
}

/** Splits normalised or raw text into lines the way an editor does. */
export function splitLines(text: string): string[] {
  return normaliseText(text).split('\n');
}

/** The first line of a text, without reading the rest (cheap on large files). */
export function firstLine(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const head = text.slice(start, start + 4096);
  const m = /[\r\n]/.exec(head);
  return m ? head.slice(0, m.index) : head;
}

/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 represents a slice of 13 or more characters as
 * a view of its parent, so a name cached on a kept syntax node held the whole file text of the keystroke that cut it:
 * one edit in each of 40 functions of a 2,000-line file left 43 copies of the file alive (4.3 MB). The concatenation
 * is flattened into a string of its own before it is sliced.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Where the line holding `offset` starts. (`lastIndexOf('\n', offset - 1)` alone is wrong at offset 0: a negative
 * position counts as 0, so a text starting with a line break gave 1.)
 */
export function lineStartAt(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** 0-based line of a character offset in raw text (CR, LF and CRLF each count once). */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
    }
  }
  return line;
}

/**
 * Line starts of the last few texts seen: a keystroke's text is derived from the previous one with its line starts
 * (`lineStartsAfter`), so neither applying the change nor locating findings rescans the whole file.
 */
const recentLines: { text: string; starts: LineStarts }[] = [];
const RECENT_TEXTS = 4;

/**
 * Line start offsets, 4 bytes each and outside the JS heap: a keystroke's array (one per edited text) was 16 KB of
 * young-generation garbage on a 2,000-line file as a JS array.
 */
export type LineStarts = Int32Array;

function remember(text: string, starts: LineStarts): void {
  if (recentLines.length >= RECENT_TEXTS) {
    recentLines.shift();
  }
  recentLines.push({ text, starts });
}

/** Offsets where each line of a (normalised, LF-only) text starts. */
export function lineStartsOf(text: string): LineStarts {
  for (let i = recentLines.length - 1; i >= 0; i--) {
    if (recentLines[i].text === text) {
      return recentLines[i].starts;
    }
  }
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  const starts = new Int32Array(n);
  n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts[n++] = i + 1;
  }
  remember(text, starts);
  return starts;
}

/** The line holding `offset`, given the text's line starts. */
export function lineAt(starts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Records the line starts of `next`, the text whose line starts were `starts` with [start, end) replaced by
 * `insert`: the lines before the change are kept, those after it move by the change's length.
 */
export function lineStartsAfter(
  starts: LineStarts,
  start: number,
  end: number,
  insert: string,
  next: string,
): LineStarts {
  const kept = lineAt(starts, start) + 1;
  const after = lineAt(starts, end) + 1;
  let added = 0;
  for (let i = insert.indexOf('\n'); i >= 0; i = insert.indexOf('\n', i + 1)) {
    added++;
  }
  const out = new Int32Array(kept + added + starts.length - after);
  out.set(starts.subarray(0, kept));
  let n = kept;
  for (let i = insert.indexOf('\n'); i >= 0; i = insert.indexOf('\n', i + 1)) {
    out[n++] = start + i + 1;
  }
  const delta = insert.length - (end - start);
  for (let k = after; k < starts.length; k++) {
    out[n++] = starts[k] + delta;
  }
  remember(next, out);
  return out;
}
