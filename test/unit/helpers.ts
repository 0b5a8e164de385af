// Test helpers for analyser unit tests: in-memory projects, finding queries, fix application and a re-parse check.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProject } from '../../server/src/analyser/analyse';
import type { Finding, Fix, InputCell, Position, RuleCode, TextEdit } from '../../server/src/analyser/model';
import type { Project } from '../../server/src/analyser/project';
import { loadParser } from '../../server/src/analyser/python/parser';
import type { AgentReport } from '../../shared/reports';

/** The folder every fake project lives in; nothing is written there. */
export const ROOT = '/proj';

/** `agent.py` → `/proj/agent.py`; absolute paths stay as they are. */
export const abs = (p: string): string => (path.isAbsolute(p) ? p : path.join(ROOT, p));

export interface Analysed {
  project: Project;
  /** The files the project was built from, by absolute path. */
  files: Map<string, string>;
  /** Every finding of every file. */
  all: Finding[];
  /** Findings of one file (relative or absolute path). */
  of(file: string): Finding[];
  /** Findings with this code, in any file or in one. */
  code(code: RuleCode, file?: string): Finding[];
  reports: AgentReport[];
}

export interface AnalyseOptions {
  /** Files set as open documents; the others are only reachable through readFile (default: all). */
  open?: string[];
  /** Notebooks given as cells, as the LSP's notebook sync would. */
  cells?: Record<string, InputCell[]>;
}

/**
 * Analyses an in-memory project: every file is set as a document under /proj (unless `open` narrows that), and
 * readFile answers from the same map, so imports and python_model= links resolve without touching the disk.
 */
export async function analyse(
  files: Record<string, string>,
  options: AnalyseOptions = {},
): Promise<Analysed> {
  const map = new Map(Object.entries(files).map(([p, t]) => [abs(p), t]));
  const project = await createProject({ readFile: (p) => map.get(p), timeBudgetMs: 10_000 });
  const open = options.open ? new Set(options.open.map(abs)) : undefined;
  for (const [p, text] of map) {
    if (!open || open.has(p)) {
      project.setDocument({ path: p, text });
    }
  }
  for (const [p, cells] of Object.entries(options.cells ?? {})) {
    project.setDocument({ path: abs(p), cells });
  }
  const byFile = project.findings();
  const all = [...byFile.values()].flat();
  return {
    project,
    files: map,
    all,
    of: (file) => byFile.get(abs(file)) ?? [],
    code: (code, file) => all.filter((f) => f.code === code && (!file || f.location.file === abs(file))),
    reports: project.agentReports(),
  };
}

/** One-line summaries, for assertion messages. */
export function summary(findings: Finding[]): string {
  return (
    findings
      .map((f) => {
        const s = f.location.range.start;
        return `${path.basename(f.location.file)}:${s.line + 1}:${s.character + 1} ${f.code} ${f.severity} ${f.message}`;
      })
      .join('\n') || '(no findings)'
  );
}

/** The only finding with this code (in a file, if given); fails with the full list otherwise. */
export function only(r: Analysed, code: RuleCode, file?: string): Finding {
  const hits = r.code(code, file);
  assert.equal(hits.length, 1, `expected one ${code}${file ? ` in ${file}` : ''}, got:\n${summary(r.all)}`);
  return hits[0];
}

/** Asserts no finding with this code (in a file, if given). */
export function none(r: Analysed, code: RuleCode, file?: string): void {
  const hits = r.code(code, file);
  assert.equal(hits.length, 0, `expected no ${code}${file ? ` in ${file}` : ''}, got:\n${summary(hits)}`);
}

/** 0-based position of the n-th (0-based) occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} occurs ${nth + 1} times`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

/** Asserts a finding starts exactly where `needle` starts in its file. */
export function assertAt(r: Analysed, f: Finding, needle: string, nth = 0): void {
  const text = r.files.get(f.location.file);
  assert.ok(text !== undefined, `finding in unknown file ${f.location.file}`);
  assert.deepEqual(
    f.location.range.start,
    positionOf(text, needle, nth),
    `${f.code} at ${JSON.stringify(needle)}`,
  );
}

/** Offset of an LSP-style position in text (lines split on \n; columns are UTF-16 units, like JS strings). */
export function offsetOf(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    assert.ok(nl >= 0, `edit position line ${pos.line} is past the end of the text`);
    offset = nl + 1;
  }
  const eol = text.indexOf('\n', offset);
  const lineEnd = eol < 0 ? text.length : eol;
  assert.ok(
    offset + pos.character <= lineEnd,
    `edit position ${pos.line}:${pos.character} is past the end of its line`,
  );
  return offset + pos.character;
}

/** Applies edits to one text by real line/character, last first so earlier offsets stay valid; rejects overlaps. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const spans = edits
    .map((e) => ({
      start: offsetOf(text, e.location.range.start),
      end: offsetOf(text, e.location.range.end),
      text: e.newText,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const s of spans) {
    assert.ok(s.end <= limit, 'fix edits overlap');
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
    limit = s.start;
  }
  return out;
}

/** Applies a fix to the project's files (edits may touch several files); returns the new file map. */
export function applyFix(files: Map<string, string>, fix: Fix): Record<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    assert.equal(e.location.cell, undefined, 'cell edits are not used with text files');
    byFile.set(e.location.file, [...(byFile.get(e.location.file) ?? []), e]);
  }
  const out: Record<string, string> = {};
  for (const [p, text] of files) {
    const edits = byFile.get(p);
    out[p] = edits ? applyEdits(text, edits) : text;
  }
  for (const p of byFile.keys()) {
    assert.ok(files.has(p), `fix edits a file outside the project: ${p}`);
  }
  return out;
}

/** Applies a fix to notebook cells (edits carry the cell index; lines count within the cell). */
export function applyCellFix(file: string, cells: InputCell[], fix: Fix): InputCell[] {
  const byCell = new Map<number, TextEdit[]>();
  for (const e of fix.edits) {
    assert.equal(e.location.file, abs(file), 'the fix edits this notebook');
    assert.ok(
      e.location.cell !== undefined && cells[e.location.cell],
      `edit names an existing cell: ${e.location.cell}`,
    );
    byCell.set(e.location.cell, [...(byCell.get(e.location.cell) ?? []), e]);
  }
  return cells.map((c, i) =>
    byCell.has(i) ? { ...c, source: applyEdits(c.source, byCell.get(i) ?? []) } : c,
  );
}

/** Asserts Python text parses without ERROR or MISSING nodes. */
export async function assertParses(text: string, label = 'fixed text'): Promise<void> {
  const parser = await loadParser();
  const tree = parser.parse(text);
  assert.ok(tree, 'parser returned a tree');
  try {
    assert.ok(!tree.rootNode.hasError, `${label} has syntax errors:\n${text}`);
  } finally {
    tree.delete();
  }
}

/** The Python cells of a Databricks notebook source as the kernel runs them (`%%writefile` bodies included). */
export function pythonOfDatabricks(text: string): string[] {
  const out: string[] = [];
  for (const cell of text.replace(/^# Databricks notebook source\n/, '').split(/^# COMMAND -{3,}[ \t]*$/m)) {
    const lines = cell.split('\n');
    const magic = lines.find((l) => l.startsWith('# MAGIC'));
    if (!magic) {
      out.push(cell);
      continue;
    }
    const body = lines.filter((l) => l.startsWith('# MAGIC')).map((l) => l.replace(/^# MAGIC ?/, ''));
    if (/^%%writefile\b|^%python\b/.test(body[0] ?? '')) {
      out.push(body.slice(1).join('\n'));
    }
  }
  return out;
}

/**
 * Applies the fix of the first `code` finding (optionally picked by `pick`), re-analyses, and checks the result: every
 * edited file parses, and no finding of that code is left where the first one was. Returns the new analysis.
 */
export async function fixAndReanalyse(
  r: Analysed,
  finding: Finding,
  options: AnalyseOptions & { fixIndex?: number } = {},
): Promise<{ after: Analysed; files: Record<string, string>; fix: Fix }> {
  const fix = finding.fixes?.[options.fixIndex ?? 0];
  assert.ok(fix, `${finding.code} has a fix:\n${summary([finding])}`);
  assert.ok(fix.edits.length > 0, 'the fix has edits');
  const files = applyFix(r.files, fix);
  for (const p of new Set(fix.edits.map((e) => e.location.file))) {
    const text = files[p];
    if (text.startsWith('# Databricks notebook source')) {
      for (const [i, cell] of pythonOfDatabricks(text).entries()) {
        await assertParses(cell, `${path.basename(p)} cell ${i}`);
      }
    } else {
      await assertParses(text, path.basename(p));
    }
  }
  const after = await analyse(files, options);
  return { after, files, fix };
}

/** Reads a fixture under test/fixtures (tests run from out/test/unit/...). */
export function fixture(rel: string): string {
  return fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures', rel), 'utf8');
}

/**
 * A Python source as a template literal, with the common indentation and the first and last blank lines removed,
 * so fixtures can be indented with the test code. A multi-line value interpolated alone on its line is indented
 * like that line (so a snippet can be dropped into a function body).
 */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? `\u0000${i}\u0000` : ''), '');
  const lines = raw
    .replace(/^[ \t]*\n/, '')
    .replace(/\n[ \t]*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return `${lines
    .map((l) => l.slice(indent))
    .map((l) =>
      l.replace(/\u0000(\d+)\u0000/g, (_, i: string) => {
        const lead = /^[ \t]*/.exec(l)![0];
        const text = String(values[Number(i)]).replace(/\n$/, '');
        return text.replace(/\n(?!\n)/g, `\n${lead}`);
      }),
    )
    .join('\n')}\n`;
}
