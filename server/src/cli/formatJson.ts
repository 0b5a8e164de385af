// `--format json`: a versioned, stable document of findings with 1-based positions (cell-relative for notebooks).
import type { Row } from './rows';

/** The published shape: a row without the analyser's finding; `cell` only for Jupyter notebooks. */
export type JsonFinding = Omit<Row, 'finding' | 'cell'> & { cell?: number };

export function formatJson(rows: readonly Row[]): string {
  const findings = rows.map(({ finding: _finding, cell, ...rest }): JsonFinding =>
    cell === undefined ? rest : { ...rest, cell },
  );
  return JSON.stringify({ version: 1, findings }, null, 2) + '\n';
}
