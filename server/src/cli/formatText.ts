// Ruff-style text output: one `path:line:col: CODE message` line per finding, then a summary line.
import type { Counts, Row } from './rows';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Notebook findings read `path:cell N:line:col:` with N 1-based (the Nth cell, markdown included). */
export function rowLocation(r: Row): string {
  const cell = r.cell !== undefined ? `cell ${r.cell + 1}:` : '';
  return `${r.file}:${cell}${r.line}:${r.column}`;
}

export function formatText(rows: readonly Row[], counts: Counts): string {
  const lines = rows.map((r) => `${rowLocation(r)}: ${r.code} ${r.message.replace(/\s*\n\s*/g, ' ')}`);
  if (counts.total === 0) {
    lines.push('All checks passed.');
  } else {
    const notes = counts.notes ? `, ${plural(counts.notes, 'note')}` : '';
    lines.push(
      `Found ${plural(counts.total, 'problem')} (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}${notes}).`,
    );
  }
  return lines.join('\n') + '\n';
}
