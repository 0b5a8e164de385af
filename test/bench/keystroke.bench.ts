// Benchmark: one keystroke in-process on a 2,000-line agent, whole (setDocument + findings) and its parsing alone.
import { Edit, type Tree } from 'web-tree-sitter';
import { createProject } from '../../server/src/analyser/analyse';
import { applyChange, loadParser, parse } from '../../server/src/analyser/python/parser';
import { convertTreeReusing, shiftOf } from '../../server/src/analyser/python/reuse';
import { reparseStatements } from '../../server/src/analyser/python/statements';
import { convertTree, type PyNode } from '../../server/src/analyser/python/tree';
import { generatedAgent, type TypedChange, typingChanges } from '../lsp/generatedAgent';
import { report } from './report';

const AGENT_LINES = 2000;
const KEYSTROKES = Number(process.env.OBO_BENCH_KEYSTROKES ?? 400);
const TYPED = '    extra = helper_3(text, limit) + str(len(parts))';
const FILE = '/bench/my_agent/agent.py';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(times: number[]): { p50: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** The keystrokes typing TYPED on a new line in the middle of a function, then clearing the line, round after round. */
function* keys(line: number): Generator<TypedChange> {
  for (;;) {
    yield* typingChanges(line, TYPED);
    yield { range: { start: { line, character: 0 }, end: { line, character: TYPED.length } }, text: '' };
  }
}

/** The agent with an empty line inserted at `line`, where the keys are typed. */
function withBlankLine(line: number): string {
  const at = { line, character: 0 };
  return applyChange(generatedAgent(AGENT_LINES), { start: at, end: at }, '\n').text;
}

/** The analyser as the server drives it: one change, then the file's findings. */
async function wholeKeystroke(): Promise<Record<string, number>> {
  const project = await createProject();
  let text = generatedAgent(AGENT_LINES);
  const line = Math.floor(text.split('\n').length / 2) + 1;
  project.setDocument({ path: FILE, text });
  project.findingsFor(FILE);
  const nl = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' };
  project.setDocument({ path: FILE }, [nl]);
  text = applyChange(text, nl.range, nl.text).text;
  const times: number[] = [];
  const it = keys(line);
  for (let k = 0; k < KEYSTROKES + 20; k++) {
    const change = it.next().value as TypedChange;
    const t = performance.now();
    project.setDocument({ path: FILE }, [change]);
    project.findingsFor(FILE);
    if (k >= 20) {
      times.push(performance.now() - t);
    }
  }
  const s = summary(times);
  return { keystrokes: times.length, 'setDocument + findings p50 ms': s.p50, 'p95 ms': s.p95 };
}

/** The parsing phases alone: tree-sitter's edit + reparse, its changed ranges, and our conversion. */
async function parsingPhases(): Promise<Record<string, number>> {
  const parser = await loadParser();
  const line = Math.floor(generatedAgent(AGENT_LINES).split('\n').length / 2) + 1;
  let text = withBlankLine(line);
  let tree = parse(parser, text) as Tree;
  let root: PyNode = convertTree(tree);
  const parseMs: number[] = [];
  const rangesMs: number[] = [];
  const convertMs: number[] = [];
  const it = keys(line);
  for (let k = 0; k < KEYSTROKES + 20; k++) {
    const change = it.next().value as TypedChange;
    const a = applyChange(text, change.range, change.text);
    const t0 = performance.now();
    const edited = tree.copy();
    edited.edit(new Edit(a));
    const next = parse(parser, a.text, edited) as Tree;
    const t1 = performance.now();
    const ranges = next.getChangedRanges(edited);
    const t2 = performance.now();
    root = convertTreeReusing(
      next,
      ranges,
      root,
      {
        startIndex: a.startIndex,
        oldEndIndex: a.oldEndIndex,
        newEndIndex: a.newEndIndex,
        oldEndRow: a.oldEndPosition.row,
        newEndRow: a.newEndPosition.row,
      },
      { old: text, new: a.text },
    );
    const t3 = performance.now();
    edited.delete();
    tree.delete();
    tree = next;
    text = a.text;
    if (k >= 20) {
      parseMs.push(t1 - t0);
      rangesMs.push(t2 - t1);
      convertMs.push(t3 - t2);
    }
  }
  tree.delete();
  const p = summary(parseMs);
  const r = summary(rangesMs);
  const c = summary(convertMs);
  return {
    'edit + reparse p50 ms': p.p50,
    'edit + reparse p95 ms': p.p95,
    'changed ranges p50 ms': r.p50,
    'convert p50 ms': c.p50,
    'convert p95 ms': c.p95,
  };
}

/**
 * What a keystroke costs on the usual path: tree-sitter limited to the edited statement's lines and their conversion
 * (the statements after it moved by their frames). Keystrokes it does not take (an error) do the full reparse.
 */
async function statementPhases(): Promise<Record<string, number>> {
  const parser = await loadParser();
  const line = Math.floor(generatedAgent(AGENT_LINES).split('\n').length / 2) + 1;
  let text = withBlankLine(line);
  const tree = parse(parser, text) as Tree;
  let root: PyNode = convertTree(tree);
  const times: number[] = [];
  let fallbacks = 0;
  const it = keys(line);
  for (let k = 0; k < KEYSTROKES + 20; k++) {
    const change = it.next().value as TypedChange;
    const a = applyChange(text, change.range, change.text);
    const t0 = performance.now();
    const shift = shiftOf(a);
    const next = reparseStatements(parser, root, shift, { old: text, new: a.text }, Infinity);
    const t1 = performance.now();
    if (next) {
      root = next;
    } else {
      // (Timed by parsingPhases: here the tree is parsed afresh to go on.)
      fallbacks++;
      const fresh = parse(parser, a.text) as Tree;
      root = convertTree(fresh);
      fresh.delete();
    }
    text = a.text;
    if (k >= 20 && next) {
      times.push(t1 - t0);
    }
  }
  tree.delete();
  const s = summary(times);
  return {
    'reparse + convert p50 ms': s.p50,
    'reparse + convert p95 ms': s.p95,
    'keystrokes that reparse the file': fallbacks,
  };
}

export async function run(): Promise<void> {
  report(`Keystroke in-process (${AGENT_LINES}-line agent, typing code)`, await wholeKeystroke());
  report(
    `Keystroke parsing, the edited statement alone (${AGENT_LINES}-line agent, typing code)`,
    await statementPhases(),
  );
  report(
    `Keystroke parsing, whole-file incremental reparse (${AGENT_LINES}-line agent, typing code)`,
    await parsingPhases(),
  );
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
