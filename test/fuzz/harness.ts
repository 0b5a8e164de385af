// Runs one fuzz input through the analyser API the way the server does, and reports crashes and broken invariants.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { createProject } from '../../server/src/analyser/analyse';
import type { Finding, InputCell } from '../../server/src/analyser/model';
import type { Project, TextChange } from '../../server/src/analyser/project';
import type { PyNode } from '../../server/src/analyser/python/tree';
import { normaliseText } from '../../server/src/analyser/sources/text';
import { Rng } from './prng';
import { RULES } from '../../shared/rules';

/** One input: a document (text or cells) and, optionally, a sequence of incremental edits applied after it. */
export interface FuzzInput {
  /** Stable name: generator, source and seed, enough to rebuild the input. */
  name: string;
  /** The path the analyser sees (its extension chooses .py / .ipynb handling). */
  path: string;
  text?: string;
  cells?: InputCell[];
  /** Each entry is one didChange: its changes are applied together, as the server does. */
  edits?: TextChange[][];
  /** Size in bytes (UTF-8), for the time-per-MB figure. */
  bytes: number;
  seed: number;
}

export interface Outcome {
  name: string;
  bytes: number;
  /**
   * CPU milliseconds for setDocument + findings + agentReports (what a diagnostics pull costs). CPU, not wall
   * time: the machines this runs on are shared, and a busy neighbour must not make the analyser look slow.
   */
  ms: number;
  /** Wall-clock milliseconds for the same. */
  wallMs: number;
  /** An exception escaped the analyser, or one was swallowed into a "could not read" finding. */
  crash?: string;
  /** A finding or edit result that breaks the API contract (no exception, but wrong). */
  invalid?: string;
  /** For edit streams: the incremental tree could be compared with a full parse (the internals were reachable). */
  treeChecked?: boolean;
  /** The analysis was cut off by timeBudgetMs (an OBO100 "stopped after its time budget" finding). */
  cutOff?: boolean;
}

const CODES = new Set<string>(RULES.map((r) => r.code));
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

function describe(e: unknown): string {
  if (e instanceof Error) {
    const frame = (e.stack ?? '')
      .split('\n')
      .find((l) => l.includes('/server/src/') || l.includes('/out/server/'));
    return `${e.name}: ${e.message}${frame ? ` ${frame.trim()}` : ''}`;
  }
  return String(e);
}

/** Lines per real file (or per cell), as an editor counts them, to bound finding ranges. */
function lineCounts(
  input: FuzzInput,
  text: string | undefined,
): { lines: number; cells?: number[]; cellsUnknown?: boolean } {
  if (input.cells) {
    return {
      lines: 0,
      cells: input.cells.map((c) =>
        typeof c?.source === 'string' ? c.source.split(/\r\n|\r|\n/).length : 1,
      ),
    };
  }
  if (/\.ipynb$/i.test(input.path) && text !== undefined) {
    try {
      // The analyser may read past what strict JSON rejects (it normalises NULs and line breaks first).
      const nb = JSON.parse(normaliseText(text)) as { cells?: { source?: unknown }[] };
      if (Array.isArray(nb.cells)) {
        return {
          lines: text.split(/\r\n|\r|\n/).length,
          cells: nb.cells.map((c) => {
            const s = c?.source;
            const src = typeof s === 'string' ? s : Array.isArray(s) ? s.join('') : '';
            return src.split(/\r\n|\r|\n/).length;
          }),
        };
      }
    } catch {
      // Not JSON to us: cell numbers cannot be checked, line numbers still can.
      return { lines: text.split(/\r\n|\r|\n/).length, cells: undefined, cellsUnknown: true };
    }
  }
  return { lines: (text ?? '').split(/\r\n|\r|\n/).length };
}

/** Checks the contract every finding of this document must meet; returns the first violation. */
function checkFindings(input: FuzzInput, text: string | undefined, findings: Finding[]): string | undefined {
  const { lines, cells, cellsUnknown } = lineCounts(input, text);
  for (const f of findings) {
    if (f.message.startsWith('could not read ')) {
      // extractUnits turns an exception into this message: a crash it swallowed, still a bug.
      return `crash:${f.message}`;
    }
    if (!CODES.has(f.code) || !SEVERITIES.has(f.severity) || typeof f.message !== 'string' || !f.message) {
      return `bad finding ${f.code}/${f.severity}: ${f.message}`;
    }
    const { start, end } = f.location.range;
    const cmp = start.line - end.line || start.character - end.character;
    if (start.line < 0 || start.character < 0 || cmp > 0) {
      return `${f.code} has a bad range ${JSON.stringify(f.location.range)}`;
    }
    const cell = f.location.cell;
    if (cell !== undefined && cellsUnknown) {
      continue;
    }
    const max = cell === undefined ? lines : cells?.[cell];
    if (max === undefined) {
      return `${f.code} points at cell ${cell}, which does not exist`;
    }
    if (end.line > max) {
      return `${f.code} ends on line ${end.line} of ${cell === undefined ? 'the file' : `cell ${cell}`}, which has ${max} lines`;
    }
  }
  return undefined;
}

let shared: Promise<Project> | undefined;

/**
 * Analyses one input on a fresh document in a long-lived project (as the server keeps one), then removes it.
 * Positions for hover/completion are drawn from the input's seed, out-of-range ones included.
 */
export async function analyseInput(input: FuzzInput, timeBudgetMs?: number): Promise<Outcome> {
  const project =
    timeBudgetMs === undefined ? await (shared ??= createProject()) : await createProject({ timeBudgetMs });
  const rng = new Rng(input.seed ^ 0x5bd1e995);
  const out: Outcome = { name: input.name, bytes: input.bytes, ms: 0, wallMs: 0 };
  let stage = 'setDocument';
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const stop = () => {
    const cpu = process.cpuUsage(cpu0);
    out.ms = (cpu.user + cpu.system) / 1000;
    out.wallMs = performance.now() - t0;
  };
  try {
    project.setDocument({ path: input.path, text: input.text, cells: input.cells });
    stage = 'findings';
    let findings = project.findingsFor(input.path);
    stage = 'agentReports';
    project.agentReports();
    stop();
    let text = input.text;
    if (input.edits) {
      // The reference text is what the editor (vscode-languageserver-textdocument, as the server keeps) shows.
      let ref = TextDocument.create('file:///fuzz', 'python', 0, input.text ?? '');
      const textOf = (project as unknown as { textOf?: (p: string) => string | undefined }).textOf?.bind(
        project,
      );
      const fresh = await createProject();
      for (const [i, batch] of input.edits.entries()) {
        stage = `edit ${i}`;
        const before = ref.getText();
        ref = TextDocument.update(ref, batch, i + 1);
        project.setDocument({ path: input.path, text: ref.getText() }, batch);
        findings = project.findingsFor(input.path);
        const where = () => `[${editHint(before, batch)}]: ${JSON.stringify(batch).slice(0, 300)}`;
        // Line breaks may be normalised (CRLF → LF keeps lines and columns); the lines themselves must agree.
        const seen = textOf?.(input.path);
        if (seen !== undefined && normaliseText(seen) !== normaliseText(ref.getText())) {
          out.invalid = `after didChange ${i} the analyser's text differs from the editor's ${where()}`;
          break;
        }
        // Incremental reparse must give the tree a full parse of the same text gives. Where the text has
        // syntax errors tree-sitter may recover differently on a reparse (its error recovery is not
        // history-free), so there only the findings must agree.
        fresh.setDocument({ path: input.path, text: ref.getText() });
        const want = treesOf(fresh, input.path);
        const got = treesOf(project, input.path);
        out.treeChecked = want !== undefined;
        if (want !== undefined && !want.hasError && want.dump !== got?.dump) {
          out.invalid = `after didChange ${i} the incremental syntax tree differs from a full parse ${where()}`;
          break;
        }
        if (summarise(fresh.findingsFor(input.path)) !== summarise(findings)) {
          out.invalid = `after didChange ${i} incremental findings differ from a full analysis ${where()}`;
          break;
        }
      }
      text = ref.getText();
    }
    stage = 'check';
    const bad = checkFindings(input, text, findings);
    if (bad?.startsWith('crash:')) {
      out.crash = bad.slice(6);
    } else if (bad && !out.invalid) {
      out.invalid = bad;
    }
    out.cutOff = findings.some((f) => f.code === 'OBO100' && f.message.includes('time budget'));
    const lineCount = (text ?? '').split('\n').length;
    for (let i = 0; i < 4; i++) {
      const pos = {
        line: rng.chance(0.2) ? rng.range(-2, lineCount + 50) : rng.int(Math.max(1, lineCount)),
        character: rng.chance(0.2) ? rng.range(-2, 10_000) : rng.int(80),
      };
      const cell = input.cells ? rng.range(-1, input.cells.length) : undefined;
      stage = `describeAt ${JSON.stringify(pos)}`;
      project.describeAt(input.path, pos, cell);
      stage = `completionAt ${JSON.stringify(pos)}`;
      project.completionAt(input.path, pos, cell);
    }
    stage = 'removeDocument';
    project.removeDocument(input.path);
  } catch (e) {
    if (!out.wallMs) {
      stop();
    }
    out.crash = `${stage}: ${describe(e)}`;
    try {
      project.removeDocument(input.path);
    } catch {
      // A project that cannot forget a document is reset: later inputs must not inherit its state.
      shared = undefined;
    }
  }
  return out;
}

/** What is special about a didChange the analyser applied differently from the editor, to name the bug. */
function editHint(before: string, batch: TextChange[]): string {
  if (batch.some((c, i) => !c.range && i < batch.length - 1)) {
    return 'full-text change followed by ranged changes';
  }
  if (batch.some((c) => c.range && (c.range.start.line < 0 || c.range.end.line < 0))) {
    return 'negative line';
  }
  if (/\r(?!\n)/.test(before) || batch.some((c) => /\r(?!\n)/.test(c.text))) {
    return 'lone CR line breaks';
  }
  if (before.includes('\r') || batch.some((c) => c.text.includes('\r'))) {
    return 'CRLF line breaks';
  }
  return 'LF only';
}

/**
 * The syntax trees a project holds for a document, as s-expressions. White-box on purpose: findings can hide a
 * wrong incremental tree, the tree cannot. Undefined if the internals moved (the caller notices treeChecked).
 */
function treesOf(project: Project, file: string): { dump: string; hasError: boolean } | undefined {
  const documents = (
    project as unknown as {
      documents?: { get?(key: string): { units: { tree?: Tree; mod?: { root?: PyNode } }[] } | undefined };
    }
  ).documents;
  const units = documents?.get?.(file)?.units;
  // The analysis reads our copy of the tree: a keystroke that reparses one statement leaves tree-sitter's tree behind
  // (edited, caught up by the next full parse), so the copy is what must equal a full parse.
  return units?.every((u) => u.mod?.root)
    ? {
        dump: units.map((u) => dumpNodes(u.mod?.root as PyNode)).join('\n'),
        hasError: units.some((u) => u.tree?.rootNode.hasError !== false),
      }
    : undefined;
}

/** Node types with their positions: two trees with the same shape but shifted rows must not compare equal. */
function dumpNodes(n: PyNode): string {
  const own = `${n.type}:${n.field ?? ''}@${n.sr}:${n.sc}-${n.er}:${n.ec}/${n.start}-${n.end}`;
  return n.children.length ? `(${own} ${n.children.map(dumpNodes).join(' ')})` : own;
}

function summarise(findings: Finding[]): string {
  return JSON.stringify(
    findings.map((f) => [
      f.code,
      f.location.cell ?? -1,
      f.location.range.start.line,
      f.location.range.start.character,
      f.message,
    ]),
  );
}
