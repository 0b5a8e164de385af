// Chooses which fixes fix-all applies together: each fix whole or not at all, no two touching the same text.
import type { Range, TextEdit } from 'vscode-languageserver/node';

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function same(a: Range['start'], b: Range['start']): boolean {
  return a.line === b.line && a.character === b.character;
}

/** Two edits conflict when their ranges overlap or both insert at one point (the order would be a guess). */
function conflicts(a: Range, b: Range): boolean {
  if (same(a.start, b.start)) {
    return true;
  }
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Greedy in document order: a fix is kept when none of its edits conflicts with an edit already kept. */
export function planFixAll(fixes: readonly TextEdit[][]): TextEdit[] {
  const ordered = [...fixes].sort((x, y) => {
    const a = x[0].range.start;
    const b = y[0].range.start;
    return a.line - b.line || a.character - b.character;
  });
  const kept: TextEdit[] = [];
  for (const fix of ordered) {
    if (fix.every((e) => kept.every((k) => !conflicts(e.range, k.range)))) {
      kept.push(...fix);
    }
  }
  return kept;
}
