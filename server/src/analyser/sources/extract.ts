// Turns an input document (.py, Databricks notebook source, Jupyter JSON or editor cells) into Python units; never throws.
import type { InputDocument } from '../model';
import type { PythonUnit } from './unit';
import { extractDatabricks, isDatabricksSource } from './databricks';
import { extractCells, parseIpynb } from './jupyter';
import { normaliseText } from './text';

export interface ExtractResult {
  units: PythonUnit[];
  /** Problems with the container itself (malformed notebook JSON...), reported at information level; `line` is 0-based. */
  problems: { message: string; line?: number }[];
}

export function extractUnits(doc: InputDocument): ExtractResult {
  try {
    return extract(doc);
  } catch (e) {
    // A parser bug must not take the analysis of every other file down with it.
    return {
      units: [],
      problems: [{ message: `could not read ${doc.path}: ${e instanceof Error ? e.message : e}` }],
    };
  }
}

function extract(doc: InputDocument): ExtractResult {
  if (Array.isArray(doc.cells)) {
    return extractCells(doc.path, doc.cells);
  }
  const text = typeof doc.text === 'string' ? doc.text : '';
  // The first-line marker wins over the extension: Databricks exports notebooks as `.py` files.
  if (isDatabricksSource(text)) {
    return extractDatabricks(doc.path, text);
  }
  if (/\.ipynb$/i.test(doc.path)) {
    const parsed = parseIpynb(text);
    if ('error' in parsed) {
      return { units: [], problems: parsed.error };
    }
    const result = extractCells(doc.path, parsed.cells);
    return { units: result.units, problems: [...parsed.problems, ...result.problems] };
  }
  return {
    units: [{ path: doc.path, origin: doc.path, kind: 'file', text: normaliseText(text) }],
    problems: [],
  };
}
