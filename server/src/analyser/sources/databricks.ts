// Splits a Databricks notebook source (`# Databricks notebook source`, `# COMMAND ----------`, `# MAGIC`) into Python units.
import type { ExtractResult } from './extract';
import { UnitBuilder, WritefileUnits } from './builder';
import { classifyCell, isMagicLine } from './magics';
import { firstLine, splitLines } from './text';

const HEADER = '# Databricks notebook source';
const SEPARATOR = /^# COMMAND -{3,}\s*$/;
/** `# MAGIC ` before a line of the cell; a bare `# MAGIC` is an empty line of the cell. */
const MAGIC_PREFIX = /^# MAGIC(?: |$)/;
const TITLE = /^# DBTITLE\b/;

export function isDatabricksSource(text: string): boolean {
  return firstLine(text).trimEnd() === HEADER;
}

/** A line of a magic cell with the prefix removed, and where it was. */
interface MagicLine {
  text: string;
  line: number;
  column: number;
}

/**
 * The notebook unit keeps every real line (line i of the unit is line i of the file) so positions need no
 * lookup beyond the column: magic cells become blank lines, except `%python` cells whose code is kept with
 * the `# MAGIC ` prefix removed.
 */
export function extractDatabricks(file: string, text: string): ExtractResult {
  const lines = splitLines(text);
  const notebook = new UnitBuilder(file, file, 'notebook');
  const writefiles = new WritefileUnits(file);
  const problems: ExtractResult['problems'] = [];
  for (let i = 0; i < lines.length; i++) {
    notebook.push(lines[i], { line: i, column: 0 });
  }

  let start = 1;
  for (let i = 1; i <= lines.length; i++) {
    if (i === lines.length || SEPARATOR.test(lines[i])) {
      readCell(start, i);
      start = i + 1;
    }
  }
  return { units: [notebook.build(), ...writefiles.build()], problems };

  function readCell(from: number, to: number): void {
    let first = from;
    while (first < to && (lines[first].trim() === '' || TITLE.test(lines[first]))) {
      first++;
    }
    if (first === to) {
      return;
    }
    if (!MAGIC_PREFIX.test(lines[first])) {
      blankMagicLines(from, to);
      return;
    }
    const magic: MagicLine[] = [];
    for (let i = first; i < to; i++) {
      const m = MAGIC_PREFIX.exec(lines[i]);
      if (m) {
        magic.push({ text: lines[i].slice(m[0].length), line: i, column: m[0].length });
        notebook.lines[i] = '';
      }
    }
    const kind = classifyCell(magic.map((m) => m.text));
    if (kind.kind === 'python') {
      // `# MAGIC %python` cells (notebooks whose default language is not Python) hold Python code.
      for (const m of magic) {
        notebook.lines[m.line] = isMagicLine(m.text) ? '' : m.text;
        notebook.origins[m.line] = { line: m.line, column: m.column };
      }
    } else if (kind.kind === 'writefile') {
      const header = magic[kind.header];
      if (!kind.writefile.target) {
        problems.push({ message: '%%writefile names no file; the cell is not analysed', line: header.line });
        return;
      }
      const unit = writefiles.open(kind.writefile);
      for (const m of magic.slice(kind.header + 1)) {
        unit.push(m.text, { line: m.line, column: m.column });
      }
    }
  }

  function blankMagicLines(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (isMagicLine(lines[i])) {
        notebook.lines[i] = '';
      }
    }
  }
}
