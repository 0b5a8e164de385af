// `--format json`: a versioned, stable document of findings with 1-based positions (cell-relative for notebooks).
import type { Row } from './rows';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
  cell?: number;
}

export function formatJson(rows: readonly Row[]): string {
  const findings = rows.map((r): JsonFinding => {
    const f: JsonFinding = {
      file: r.file,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      code: r.code,
      severity: r.severity,
      message: r.message,
    };
    if (r.cell !== undefined) {
      f.cell = r.cell;
    }
    return f;
  });
  return JSON.stringify({ version: 1, findings }, null, 2) + '\n';
}
