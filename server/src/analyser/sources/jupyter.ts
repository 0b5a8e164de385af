// Reads Jupyter notebooks (.ipynb JSON or cells from the editor) into Python units, tolerating malformed files.
import type { InputCell } from '../model';
import type { ExtractResult } from './extract';
import { UnitBuilder, WritefileUnits } from './builder';
import { classifyCell, isMagicLine, isPythonLanguage } from './magics';
import { lineOfOffset, splitLines } from './text';

type Problems = ExtractResult['problems'];

/** Parses notebook JSON into cells; outputs are never looked at. Cells keep their index among all cells. */
export function parseIpynb(text: string): { cells: InputCell[]; problems: Problems } | { error: Problems } {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    const problem: Problems[number] = { message: `notebook is not valid JSON: ${message}` };
    if (at) {
      problem.line = lineOfOffset(json, Number(at[1]));
    }
    return { error: [problem] };
  }
  if (!isObject(root)) {
    return { error: [{ message: 'notebook is not a JSON object' }] };
  }
  // nbformat 4 keeps `cells` at the top; nbformat 3 keeps them in the first worksheet, code under `input`.
  const worksheets = root.worksheets;
  const rawCells =
    root.cells ?? (Array.isArray(worksheets) && isObject(worksheets[0]) ? worksheets[0].cells : undefined);
  if (!Array.isArray(rawCells)) {
    return { error: [{ message: 'notebook has no `cells` list' }] };
  }
  const metadata = isObject(root.metadata) ? root.metadata : {};
  const defaultLanguage = notebookLanguage(metadata);
  const problems: Problems = [];
  const cells = rawCells.map((raw, index): InputCell => {
    if (!isObject(raw)) {
      problems.push({ message: `cell ${index} is not an object; skipped` });
      return { kind: 'markup', source: '' };
    }
    const source = sourceText(raw.source ?? raw.input);
    if (source === undefined) {
      problems.push({ message: `cell ${index} has no readable source; skipped` });
      return { kind: 'markup', source: '' };
    }
    if (raw.cell_type !== 'code') {
      return { kind: 'markup', source };
    }
    const cellMeta = isObject(raw.metadata) ? raw.metadata : {};
    const vscode = isObject(cellMeta.vscode) ? cellMeta.vscode : {};
    const language = str(vscode.languageId) ?? str(cellMeta.language) ?? defaultLanguage;
    return language === undefined ? { kind: 'code', source } : { kind: 'code', source, language };
  });
  return { cells, problems };
}

/**
 * Code cells of Python become the notebook unit (cells concatenated in order); `%%writefile` cells become
 * their own units; other cell magics and non-Python cells are skipped. Line magics and `!` lines are blanked.
 */
export function extractCells(file: string, cells: readonly (InputCell | null | undefined)[]): ExtractResult {
  const notebook = new UnitBuilder(file, file, 'notebook');
  const writefiles = new WritefileUnits(file);
  const problems: Problems = [];
  cells.forEach((cell, index) => {
    if (
      !cell ||
      cell.kind !== 'code' ||
      typeof cell.source !== 'string' ||
      !isPythonLanguage(cell.language)
    ) {
      return;
    }
    const lines = splitLines(cell.source);
    const kind = classifyCell(lines);
    if (kind.kind === 'other') {
      return;
    }
    if (kind.kind === 'writefile') {
      if (!kind.writefile.target) {
        problems.push({ message: `cell ${index}: %%writefile names no file; the cell is not analysed` });
        return;
      }
      const unit = writefiles.open(kind.writefile);
      for (let i = kind.header + 1; i < lines.length; i++) {
        unit.push(lines[i], { cell: index, line: i, column: 0 });
      }
      return;
    }
    lines.forEach((line, i) => {
      notebook.push(isMagicLine(line) ? '' : line, { cell: index, line: i, column: 0 });
    });
  });
  return { units: [notebook.build(), ...writefiles.build()], problems };
}

function notebookLanguage(metadata: Record<string, unknown>): string | undefined {
  const info = isObject(metadata.language_info) ? metadata.language_info : {};
  const kernel = isObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const databricks = metadata['application/vnd.databricks.v1+notebook'];
  return (
    str(info.name) ?? str(kernel.language) ?? (isObject(databricks) ? str(databricks.language) : undefined)
  );
}

/** nbformat allows a string or a list of strings (each usually ending in a newline). */
function sourceText(source: unknown): string | undefined {
  if (typeof source === 'string') {
    return source;
  }
  if (Array.isArray(source) && source.every((s) => typeof s === 'string')) {
    return source.join('');
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
