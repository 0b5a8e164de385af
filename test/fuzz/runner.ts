// Runs fuzz families in worker threads with a watchdog, classifies failures against the known-bug list, and sums up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Budget, FIXTURES, ROOT } from './corpus';
import { saveFailure } from './failures';
import { type Family, find } from './generators';
import type { Outcome } from './harness';
import { NORMAL_BYTES, SLOW_MS, type WorkerMessage, type WorkerTask } from './worker';

export type FailureKind = 'crash' | 'invalid' | 'slow' | 'hang' | 'leak';

export interface Failure {
  kind: FailureKind;
  name: string;
  detail: string;
  /** Where the input was written (out/fuzz-failures/...), to promote it to a regression fixture. */
  saved?: string;
  /** The id of the known, reported bug it matches; unknown failures fail the test. */
  known?: string;
}

export interface FamilyStats {
  family: Family;
  tried: number;
  bytes: number;
  ms: number;
  slowest?: { name: string; ms: number; bytes: number };
  /** Slowest among normal-sized inputs (< 100 KB), the ones held to the 1 s limit. */
  slowestNormal?: { name: string; ms: number; bytes: number };
  cutOffs: number;
  /** Edit streams whose incremental tree was compared with a full parse. */
  treeChecks: number;
  failures: Failure[];
  /** The worker died on a generator error (a bug in the fuzzer itself). */
  error?: string;
}

interface KnownBug {
  id: string;
  kind: FailureKind;
  /** Regex on the crash message / invariant text. */
  message?: string;
  /** Regex on the input name. */
  names?: string;
  summary: string;
  /** Which test reports it when it is not a fuzz-family failure (`secrets` for the secret scan). */
  scan?: string;
}

export const KNOWN_BUGS_FILE = path.join(FIXTURES, 'fuzz', 'known-bugs.json');

export function knownBugs(): KnownBug[] {
  if (!fs.existsSync(KNOWN_BUGS_FILE)) {
    return [];
  }
  return (JSON.parse(fs.readFileSync(KNOWN_BUGS_FILE, 'utf8')) as { bugs: KnownBug[] }).bugs;
}

export function classify(f: Failure, bugs: KnownBug[]): Failure {
  const bug = bugs.find(
    (b) =>
      b.kind === f.kind &&
      (!b.message || new RegExp(b.message).test(f.detail)) &&
      (!b.names || new RegExp(b.names).test(f.name)),
  );
  return bug ? { ...f, known: bug.id } : f;
}

/** Per-input watchdog: generous, because a hang is an input that never finishes, not a slow one. */
function hangLimitMs(bytes: number): number {
  return 30_000 + (bytes / (1 << 20)) * 10_000;
}

const WORKER = path.join(__dirname, 'worker.js');

/** Building one input (a 5 MB file, a mutated 200 KB notebook) takes well under this. */
const GENERATE_MS = 60_000;

/**
 * The server runs the analyser on a main thread, where V8 allows 984 KB of stack. A worker's V8 limit is its
 * stackSizeMb minus 192 KB, so this gives the same limit: deep nesting that overflows in the server overflows here.
 */
const SERVER_STACK_MB = (984 + 192) / 1024;

/** Runs one family to the end (restarting the worker past any input that hangs) and returns its figures. */
export async function runFamily(
  family: Family,
  budget: Budget,
  seed: number,
  onOutcome?: (o: Outcome) => void,
  /** Told each failure when it happens (classified): a long run's reader need not wait for the family's end. */
  onFailure?: (f: Failure) => void,
): Promise<FamilyStats> {
  const stats: FamilyStats = { family, tried: 0, bytes: 0, ms: 0, cutOffs: 0, treeChecks: 0, failures: [] };
  const bugs = knownBugs();
  const fail = (f: Failure) => {
    const classified = classify(f, bugs);
    stats.failures.push(classified);
    onFailure?.(classified);
  };
  let resumeAfter: string | undefined;
  for (;;) {
    const result = await runWorker({ family, budget, seed, resumeAfter }, (m) => {
      if (m.type !== 'done') {
        return;
      }
      const o = m.outcome;
      onOutcome?.(o);
      stats.tried++;
      stats.bytes += o.bytes;
      stats.ms += o.ms;
      stats.cutOffs += o.cutOff ? 1 : 0;
      stats.treeChecks += o.treeChecked ? 1 : 0;
      if (!stats.slowest || o.ms > stats.slowest.ms) {
        stats.slowest = { name: o.name, ms: o.ms, bytes: o.bytes };
      }
      if (o.bytes < NORMAL_BYTES && (!stats.slowestNormal || o.ms > stats.slowestNormal.ms)) {
        stats.slowestNormal = { name: o.name, ms: o.ms, bytes: o.bytes };
      }
      if (o.crash) {
        fail({ kind: 'crash', name: o.name, detail: o.crash, saved: m.saved });
      } else if (o.invalid) {
        fail({ kind: 'invalid', name: o.name, detail: o.invalid, saved: m.saved });
      } else if (o.ms > SLOW_MS && o.bytes < NORMAL_BYTES) {
        fail({ kind: 'slow', name: o.name, detail: `${o.ms.toFixed(0)} ms for ${o.bytes} bytes` });
      }
    });
    if (result.kind === 'end') {
      return stats;
    }
    if (result.kind === 'error') {
      stats.error = result.message;
      return stats;
    }
    // Hang: the worker was terminated; record the input and carry on after it.
    stats.tried++;
    const input = find(family, budget, seed, result.name);
    const saved = input ? saveFailure(input, { crash: `no answer after ${result.ms} ms` }) : undefined;
    fail({ kind: 'hang', name: result.name, detail: `no answer after ${result.ms} ms`, saved });
    resumeAfter = result.name;
  }
}

type WorkerResult =
  { kind: 'end' } | { kind: 'error'; message: string } | { kind: 'hang'; name: string; ms: number };

function runWorker(task: WorkerTask, onMessage: (m: WorkerMessage) => void): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { workerData: task, resourceLimits: { stackSizeMb: SERVER_STACK_MB } });
    let current: { name: string; since: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (r: WorkerResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(r);
      }
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        current = { name: m.name, since: Date.now() };
        clearTimeout(timer);
        const limit = hangLimitMs(m.bytes);
        timer = setTimeout(() => settle({ kind: 'hang', name: m.name, ms: limit }), limit);
      } else if (m.type === 'end') {
        settle({ kind: 'end' });
      } else if (m.type === 'error') {
        settle({ kind: 'error', message: m.message });
      } else {
        clearTimeout(timer);
        onMessage(m);
        // Building the next input is watched too: a generator that loops would otherwise stall the run.
        timer = setTimeout(
          () =>
            settle({
              kind: 'error',
              message: `no next input within ${GENERATE_MS} ms after ${m.outcome.name}`,
            }),
          GENERATE_MS,
        );
      }
    });
    worker.on('error', (e) => {
      // An uncaught error or a stack/heap limit kills the worker mid-input: that input crashed it.
      if (current) {
        onMessage({
          type: 'done',
          outcome: {
            name: current.name,
            bytes: 0,
            ms: 0,
            wallMs: Date.now() - current.since,
            crash: `worker died: ${e.message}`,
          },
        });
        settle({ kind: 'error', message: `worker died on ${current.name}: ${e.message}` });
      } else {
        settle({ kind: 'error', message: `worker died: ${e.message}` });
      }
    });
    worker.on('exit', (code) => settle({ kind: 'error', message: `worker exited with code ${code}` }));
  });
}

const mb = (bytes: number) => bytes / (1 << 20);

export function describeFailure(f: Failure): string {
  const detail = f.detail.split('\n')[0];
  const short = detail.length > 240 ? `${detail.slice(0, 240)}...` : detail;
  return `${f.kind} ${f.name}: ${short}${f.saved ? ` (saved: ${path.relative(ROOT, f.saved)})` : ''}`;
}

/** One line per family plus totals, in the format the README quotes. */
export function formatStats(all: FamilyStats[]): string {
  const rows = all.map((s) => {
    const perMb = s.bytes ? s.ms / mb(s.bytes) : 0;
    const crashes = s.failures.filter((f) => f.kind === 'crash');
    const slowest = s.slowest
      ? `${s.slowest.ms.toFixed(0)} ms (${s.slowest.name}, ${(s.slowest.bytes / 1024).toFixed(0)} KB)`
      : '-';
    return (
      `${s.family.padEnd(12)} inputs ${String(s.tried).padStart(5)}  ${mb(s.bytes).toFixed(1).padStart(6)} MB  ` +
      `${(s.ms / 1000).toFixed(1).padStart(6)} s  ${perMb.toFixed(0).padStart(5)} ms/MB  crashes ${crashes.length} ` +
      `(known ${crashes.filter((f) => f.known).length})  invalid ${s.failures.filter((f) => f.kind === 'invalid').length}  ` +
      `slow ${s.failures.filter((f) => f.kind === 'slow').length}  hangs ${s.failures.filter((f) => f.kind === 'hang').length}  ` +
      `cut-off ${s.cutOffs}  slowest ${slowest}`
    );
  });
  const tried = all.reduce((n, s) => n + s.tried, 0);
  const bytes = all.reduce((n, s) => n + s.bytes, 0);
  const ms = all.reduce((n, s) => n + s.ms, 0);
  const failures = all.flatMap((s) => s.failures);
  const slowest = all
    .map((s) => s.slowest)
    .filter((x) => x !== undefined)
    .sort((a, b) => b.ms - a.ms)[0];
  const slowestNormal = all
    .map((s) => s.slowestNormal)
    .filter((x) => x !== undefined)
    .sort((a, b) => b.ms - a.ms)[0];
  rows.push(
    `TOTAL        inputs ${tried}, ${mb(bytes).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s ` +
      `(${bytes ? (ms / mb(bytes)).toFixed(0) : 0} ms/MB, ${ms ? (mb(bytes) / (ms / 1000)).toFixed(2) : 0} MB/s); ` +
      `crashes ${failures.filter((f) => f.kind === 'crash' && !f.known).length} new + ${failures.filter((f) => f.kind === 'crash' && f.known).length} known; ` +
      `invalid ${failures.filter((f) => f.kind === 'invalid').length}; slow ${failures.filter((f) => f.kind === 'slow').length}; ` +
      `hangs ${failures.filter((f) => f.kind === 'hang').length}`,
  );
  if (slowest) {
    rows.push(
      `slowest input: ${slowest.name} ${slowest.ms.toFixed(0)} ms (${(slowest.bytes / 1024).toFixed(0)} KB)`,
    );
  }
  if (slowestNormal) {
    rows.push(
      `slowest normal-sized input (< 100 KB): ${slowestNormal.name} ${slowestNormal.ms.toFixed(0)} ms`,
    );
  }
  for (const f of failures.filter((x) => !x.known)) {
    rows.push(`NEW ${describeFailure(f)}`);
  }
  const known = new Map<string, Failure[]>();
  for (const f of failures.filter((x) => x.known)) {
    known.set(f.known as string, [...(known.get(f.known as string) ?? []), f]);
  }
  for (const [id, list] of known) {
    rows.push(`known bug ${id}: ${list.length} input(s), e.g. ${describeFailure(list[0])}`);
  }
  return rows.join('\n');
}
