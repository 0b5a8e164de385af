// The real-code corpus (test/fixtures/real/): runs the bundled obo-lint on each project and scores it against the
// project's expected.json. Used by test/cli/corpus.test.ts and by `npm run corpus` (this file's main).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonFinding } from '../../server/src/cli/formatJson';

export const ROOT = path.resolve(__dirname, '../../..');
export const REAL = path.join(ROOT, 'test', 'fixtures', 'real');
const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface Expected {
  file: string;
  line: number;
  code: string;
  cell?: number;
  lineTolerance?: number;
  why: string;
}
export interface ExpectedDoc {
  findings: Expected[];
  silent: Expected[];
  uncertain?: Expected[];
  notes: string;
}
export interface SourceDoc {
  repository: string;
  commit: string;
  licence: string;
  files: { path: string; original: string; blob: string }[];
}
/** A discrepancy, as kept in known-gaps.json. */
export interface Gap {
  project: string;
  file: string;
  cell?: number;
  line: number;
  code: string;
  kind: 'FP' | 'FN';
  message?: string;
  reason: string;
}
export interface ProjectScore {
  project: string;
  missingFiles: string[];
  status: number | null;
  stderr: string;
  ms: number;
  files: number;
  reported: JsonFinding[];
  tp: Expected[];
  fp: (JsonFinding & { silent?: string })[];
  fn: Expected[];
}

export const gapKey = (g: Pick<Gap, 'project' | 'file' | 'cell' | 'line' | 'code' | 'kind'>) =>
  `${g.project}|${g.file}|${g.cell ?? ''}|${g.line}|${g.code}|${g.kind}`;

export function projects(): string[] {
  return fs
    .readdirSync(REAL, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REAL, d.name, 'expected.json')))
    .map((d) => d.name)
    .sort();
}

const readJson = <T>(p: string): T => JSON.parse(fs.readFileSync(p, 'utf8')) as T;
export const expectedOf = (p: string) => readJson<ExpectedDoc>(path.join(REAL, p, 'expected.json'));
export const sourceOf = (p: string) => readJson<SourceDoc>(path.join(REAL, p, 'source.json'));
export const knownGaps = () => readJson<Gap[]>(path.join(REAL, 'known-gaps.json'));

const same = (f: JsonFinding, e: Expected) =>
  f.file === e.file &&
  f.code === e.code &&
  (f.cell ?? -1) === (e.cell ?? -1) &&
  Math.abs(f.line - e.line) <= (e.lineTolerance ?? 0);

/** Runs obo-lint --format json on the project's files/ folder (paths relative to it) and scores the result. */
export function scoreProject(project: string): ProjectScore {
  const dir = path.join(REAL, project, 'files');
  const source = sourceOf(project);
  const missingFiles = source.files.map((f) => f.path).filter((f) => !fs.existsSync(path.join(dir, f)));
  const score: ProjectScore = {
    project,
    missingFiles,
    status: null,
    stderr: '',
    ms: 0,
    files: source.files.length,
    reported: [],
    tp: [],
    fp: [],
    fn: [],
  };
  if (missingFiles.length > 0) {
    return score;
  }
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  score.ms = Date.now() - t0;
  score.status = r.status;
  score.stderr = r.stderr;
  if (r.status !== 0 && r.status !== 1) {
    return score;
  }
  score.reported = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  const expected = expectedOf(project);
  const scored = (f: JsonFinding) =>
    f.severity === 'error' || f.severity === 'warning' || expected.findings.some((e) => same(f, e));
  score.tp = expected.findings.filter((e) => score.reported.some((f) => same(f, e)));
  score.fn = expected.findings.filter((e) => !score.reported.some((f) => same(f, e)));
  score.fp = score.reported
    .filter((f) => scored(f) && !expected.findings.some((e) => same(f, e)))
    .filter((f) => !(expected.uncertain ?? []).some((e) => same(f, e)))
    .map((f) => ({ ...f, silent: expected.silent.find((e) => same(f, e))?.why }));
  return score;
}

/** The discrepancies of a scored project, in known-gaps.json's shape (without reason). */
export function gapsOf(s: ProjectScore): Omit<Gap, 'reason'>[] {
  return [
    ...s.fp.map((f) => ({
      project: s.project,
      file: f.file,
      cell: f.cell,
      line: f.line,
      code: f.code,
      kind: 'FP' as const,
      message: f.message,
    })),
    ...s.fn.map((e) => ({
      project: s.project,
      file: e.file,
      cell: e.cell,
      line: e.line,
      code: e.code,
      kind: 'FN' as const,
      message: e.why,
    })),
  ];
}

export function report(scores: ProjectScore[]): string {
  const out: string[] = [];
  let [tp, fp, fn] = [0, 0, 0];
  for (const s of scores) {
    if (s.missingFiles.length > 0) {
      out.push(
        `${s.project}: skipped, files missing (run npm run corpus:fetch): ${s.missingFiles.join(', ')}`,
      );
      continue;
    }
    tp += s.tp.length;
    fp += s.fp.length;
    fn += s.fn.length;
    out.push(
      `${s.project}: TP ${s.tp.length}  FP ${s.fp.length}  FN ${s.fn.length}  (exit ${s.status}, ${s.ms} ms, ${s.reported.length} reported)`,
    );
    const at = (f: { file: string; cell?: number; line: number }) =>
      `${f.file}${f.cell === undefined ? '' : `[cell ${f.cell}]`}:${f.line}`;
    for (const f of s.fp) {
      out.push(
        `  FP ${at(f)} ${f.code} ${f.message.split('\n')[0]}${f.silent ? `  (listed silent: ${f.silent})` : ''}`,
      );
    }
    for (const e of s.fn) {
      out.push(`  FN ${at(e)} ${e.code} ${e.why}`);
    }
  }
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  out.push(
    `overall: TP ${tp}  FP ${fp}  FN ${fn}  precision ${pct(tp, tp + fp)}  recall ${pct(tp, tp + fn)}`,
  );
  return out.join('\n') + '\n';
}

if (require.main === module) {
  process.stdout.write(report(projects().map(scoreProject)));
}
