// Turns findings into sorted, 1-based output rows with display paths, the common ground of the three output formats.
import * as path from 'path';
import type { Finding, Severity } from '../analyser/model';

export interface Row {
  /** The path as shown: relative to the working folder, `/`-separated. */
  file: string;
  /** 1-based; for a Jupyter notebook, counted within the cell. */
  line: number;
  column: number;
  endLine: number;
  /** 1-based and exclusive, like Ruff's end locations. */
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  /** 0-based cell index among all cells of a Jupyter notebook. */
  cell?: number;
  finding: Finding;
}

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

export function toRows(findings: readonly Finding[], cwd: string): Row[] {
  const rows = findings.map((f): Row => {
    const { start, end } = f.location.range;
    const row: Row = {
      file: displayPath(f.location.file, cwd),
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      code: f.code,
      severity: f.severity,
      message: f.message,
      finding: f,
    };
    if (f.location.cell !== undefined) {
      row.cell = f.location.cell;
    }
    return row;
  });
  return rows.sort(compareRows);
}

function compareRows(a: Row, b: Row): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    (a.cell ?? -1) - (b.cell ?? -1) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

export interface Counts {
  total: number;
  errors: number;
  warnings: number;
  /** Information and hint findings. */
  notes: number;
}

export function countRows(rows: readonly Row[]): Counts {
  const counts: Counts = { total: rows.length, errors: 0, warnings: 0, notes: 0 };
  for (const r of rows) {
    if (r.severity === 'error') {
      counts.errors++;
    } else if (r.severity === 'warning') {
      counts.warnings++;
    } else {
      counts.notes++;
    }
  }
  return counts;
}
