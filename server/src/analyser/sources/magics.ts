// Recognises IPython / Databricks magics: lines to blank, cells to skip, and `%%writefile` headers.

export interface WritefileHeader {
  /** The target path as written (quotes removed); empty when the magic names no file. */
  target: string;
  append: boolean;
}

/** What a cell is, judged from its first non-blank line. */
export type CellMagic =
  | { kind: 'python'; header?: number }
  | { kind: 'writefile'; header: number; writefile: WritefileHeader }
  | { kind: 'other'; header: number; name: string };

/** Cell magics whose body is still Python (the magic only wraps how it runs). */
const PYTHON_CELL_MAGICS = new Set(['capture', 'time', 'timeit', 'prun', 'python', 'python3', 'debug']);

/**
 * Databricks marks a whole cell's language with a single-`%` first line (`%sql`, `%md`...). `%python` keeps
 * the cell Python.
 */
const DATABRICKS_LANGUAGE_MAGICS = new Set(['md', 'md-sandbox', 'sql', 'sh', 'scala', 'r', 'fs']);

/**
 * A line IPython runs as a magic or shell escape: `%pip ...`, `%%time`, `!ls`, `files = !ls`. `!=` and `% x`
 * (an operator continuing an expression) are Python and kept.
 */
const MAGIC_LINE = /^\s*(?:[A-Za-z_][\w.]*\s*=\s*)?(?:%{1,2}[A-Za-z_]|!(?!=))/;

export function isMagicLine(line: string): boolean {
  return MAGIC_LINE.test(line);
}

/** Parses `%%writefile [-a|--append] <path>`; undefined when the line is not that magic. */
export function parseWritefile(line: string): WritefileHeader | undefined {
  const m = /^\s*%%writefile(?:\s+(.*))?$/.exec(line);
  if (!m) {
    return undefined;
  }
  let append = false;
  let target = '';
  // IPython splits the arguments shell-style, so a quoted path may hold spaces.
  for (const t of (m[1] ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = t[1] ?? t[2] ?? t[3] ?? '';
    if (t[3] === '-a' || t[3] === '--append') {
      append = true;
    } else if (!target) {
      target = word;
    }
  }
  return { target, append };
}

/** Classifies a cell from its lines (for Databricks cells: the `# MAGIC` lines with the prefix removed). */
export function classifyCell(lines: readonly string[]): CellMagic {
  const header = lines.findIndex((l) => l.trim() !== '');
  if (header < 0) {
    return { kind: 'python' };
  }
  const first = lines[header];
  const writefile = parseWritefile(first);
  if (writefile) {
    return { kind: 'writefile', header, writefile };
  }
  const cell = /^\s*%%([A-Za-z_][\w-]*)/.exec(first);
  if (cell) {
    return PYTHON_CELL_MAGICS.has(cell[1])
      ? { kind: 'python', header }
      : { kind: 'other', header, name: cell[1] };
  }
  const lang = /^\s*%([A-Za-z][\w-]*)\s*$|^\s*%([A-Za-z][\w-]*)\s/.exec(first);
  const name = lang ? (lang[1] ?? lang[2]).toLowerCase() : undefined;
  if (name === 'python') {
    return { kind: 'python', header };
  }
  if (name && DATABRICKS_LANGUAGE_MAGICS.has(name)) {
    return { kind: 'other', header, name };
  }
  return { kind: 'python' };
}

/** True for language ids that mean Python (VS Code ids, kernelspec languages); unknown means Python. */
export function isPythonLanguage(language: string | undefined): boolean {
  return language === undefined || language === '' || /^(?:i?python\d*|py|pyspark)$/i.test(language);
}
