// Applying an edit with line starts and comment blanking carried over from the last text equals scanning the new text.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyChange, offsetAt, parseableText, widenToLines } from '../../server/src/analyser/python/parser';
import { lineStartAt, lineStartsOf } from '../../server/src/analyser/sources/text';

/** Scans the text: the line starts, and the row and column of an offset, as tree-sitter counts them. */
function scanned(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      starts.push(i + 1);
    }
  }
  return starts;
}

function pointOf(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { row: before.length - 1, column: before[before.length - 1].length };
}

/** A small deterministic generator, so a failure replays. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const PIECES = [
  '',
  'a',
  '\n',
  'xy\n',
  '\n\n',
  'def f():\n    pass\n',
  'é😀',
  '  ',
  '#',
  '  # c\n',
  'x = 1  # d',
];

/** Comment-only lines blanked, from scratch. */
const blanked = (t: string) => t.replace(/^[ \t]*#[^\n]*/gm, (m) => ' '.repeat(m.length));

describe('line starts carried from edit to edit', () => {
  it('give the offsets, positions, line starts and parseable text a scan of each new text gives', () => {
    const next = rng(7);
    let text = 'import x\n# top\ndef f():\n    # inside\n    return 1\n';
    parseableText(text);
    for (let step = 0; step < 2000; step++) {
      const lines = text.split('\n').length;
      // Positions out of range too: a line past the end, a negative line, a column past the line's end.
      const pos = () => ({ line: next(lines + 2) - (next(20) === 0 ? 1 : 0), character: next(14) });
      const range = { start: pos(), end: pos() };
      const insert = PIECES[next(PIECES.length)];
      const start = Math.min(offsetAt(text, range.start), offsetAt(text, range.end));
      const end = Math.max(offsetAt(text, range.start), offsetAt(text, range.end));
      const want = text.slice(0, start) + insert + text.slice(end);
      // Every other step the caller knows the text after the change (the editor's own copy): that very string is
      // taken, with line starts and parseable text carried all the same; one that does not fit (its length, the inserted text) is ignored.
      const other = want.slice(0, start) + '~'.repeat(insert.length) + want.slice(start + insert.length);
      const known = step % 2 ? [...want].join('') : step % 3 ? `${want}!` : insert ? other : undefined;
      const a = applyChange(text, range, insert, known);
      assert.equal(a.text, want, `step ${step}`);
      if (step % 2) {
        assert.equal(a.text, known, `the known text itself, step ${step}`);
      }
      assert.deepEqual(
        [a.startIndex, a.oldEndIndex, a.newEndIndex],
        [start, end, start + insert.length],
        `step ${step}`,
      );
      assert.deepEqual(a.startPosition, pointOf(text, start), `start position, step ${step}`);
      assert.deepEqual(a.oldEndPosition, pointOf(text, end), `old end position, step ${step}`);
      assert.deepEqual(a.newEndPosition, pointOf(want, start + insert.length), `new end, step ${step}`);
      assert.deepEqual([...lineStartsOf(a.text)], scanned(a.text), `line starts, step ${step}`);
      assert.equal(parseableText(a.text), blanked(a.text), `parseable text, step ${step}`);
      text = a.text.length > 3000 ? a.text.slice(0, 200) : a.text;
    }
  });

  it('clamps positions as an editor would: past the end of a line, past the last line, before the first', () => {
    const text = 'ab\ncd';
    assert.equal(offsetAt(text, { line: 0, character: 99 }), 2);
    assert.equal(offsetAt(text, { line: 9, character: 0 }), 5);
    assert.equal(offsetAt(text, { line: -1, character: 4 }), 0);
    assert.equal(offsetAt(text, { line: 1, character: 1 }), 4);
  });
});

describe('line starts at the start of a text', () => {
  it('lineStartAt is 0 at offset 0 even when the text starts with a line break', () => {
    assert.equal(lineStartAt('\nimport mlflow\n', 0), 0);
    assert.equal(lineStartAt('\nimport mlflow\n', 1), 1);
    assert.equal(lineStartAt('\nimport mlflow\n', 5), 1);
    assert.equal(lineStartAt('x = 1\ny = 2', 8), 6);
  });

  it('an edit from offset 0 widened to whole lines starts at offset 0, on row 0', () => {
    const before = '\nimport mlflow\nx = 1\n';
    const exact = applyChange(
      before,
      { start: { line: 0, character: 0 }, end: { line: 1, character: 8 } },
      '# c\n',
    );
    const wide = widenToLines(before, exact);
    assert.equal(wide.startIndex, 0);
    assert.deepEqual(wide.startPosition, { row: 0, column: 0 });
    assert.equal(wide.oldEndIndex, before.indexOf('\n', 1));
    assert.deepEqual(wide.oldEndPosition, { row: 1, column: 'import mlflow'.length });
  });
});
