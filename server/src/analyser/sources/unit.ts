// A Python unit: one module's text cut out of a real file (a .py file, a notebook's code, a %%writefile cell), with its position map.
import type { Location, Range } from '../model';

/** Where one line of a unit's text sits in the real file. */
export interface LineOrigin {
  /** 0-based line in the real file, or within the cell when `cell` is set. */
  line: number;
  /** Columns to add: the length of a stripped prefix such as `# MAGIC `. */
  column: number;
  /** 0-based cell index for Jupyter notebooks. */
  cell?: number;
}

export type UnitKind = 'file' | 'notebook' | 'writefile';

export interface PythonUnit {
  /**
   * The module's path: the real file for `.py` and for a notebook's own code, the resolved target of a
   * `%%writefile` cell (absolute, relative targets resolved against the notebook's folder).
   */
  path: string;
  /** The real file the text comes from. */
  origin: string;
  kind: UnitKind;
  text: string;
  /** One entry per line of `text`; absent when the unit is the real file itself (identity map). */
  lines?: LineOrigin[];
}

/** Maps a range in a unit's text back to the real file (and cell). */
export function toRealLocation(unit: PythonUnit, range: Range): Location {
  if (!unit.lines) {
    return { file: unit.origin, range };
  }
  const start = unit.lines[Math.min(range.start.line, unit.lines.length - 1)] ?? { line: 0, column: 0 };
  const end = unit.lines[Math.min(range.end.line, unit.lines.length - 1)] ?? start;
  const loc: Location = {
    file: unit.origin,
    range: {
      start: { line: start.line, character: range.start.character + start.column },
      end: { line: end.line, character: range.end.character + end.column },
    },
  };
  if (start.cell !== undefined) {
    loc.cell = start.cell;
    if (end.cell !== start.cell) {
      // A range never spans cells in the real document: clamp to the end of the first cell's line.
      loc.range.end = { line: start.line, character: loc.range.start.character };
    }
  }
  return loc;
}
