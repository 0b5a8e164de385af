// Worker thread: generates one fuzz family and analyses each input, reporting every step so the parent can spot hangs.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Budget } from './corpus';
import { type Family, generate } from './generators';
import { analyseInput, type FuzzInput } from './harness';
import { saveFailure } from './failures';

export interface WorkerTask {
  family: Family;
  budget: Budget;
  seed: number;
  /** Analyse only these inputs (by name): replaying a failure. */
  only?: string[];
  /** Skip inputs up to and including this one: resuming after a hang killed the previous worker. */
  resumeAfter?: string;
}

/** Normal-sized inputs (under this many bytes) must be analysed within SLOW_MS. */
export const NORMAL_BYTES = 100 * 1024;
export const SLOW_MS = 1000;

export type WorkerMessage =
  | { type: 'start'; name: string; bytes: number }
  | { type: 'done'; outcome: import('./harness').Outcome; saved?: string }
  | { type: 'end' }
  | { type: 'error'; message: string };

async function main(task: WorkerTask): Promise<void> {
  const post = (m: WorkerMessage) => parentPort?.postMessage(m);
  let current: FuzzInput | undefined;
  try {
    let skipping = task.resumeAfter !== undefined;
    for (const input of generate(task.family, task.budget, task.seed)) {
      if (skipping) {
        skipping = input.name !== task.resumeAfter;
        continue;
      }
      if (task.only && !task.only.includes(input.name)) {
        continue;
      }
      current = input;
      post({ type: 'start', name: input.name, bytes: input.bytes });
      let outcome = await analyseInput(input);
      if (!outcome.crash && outcome.ms > SLOW_MS && input.bytes < NORMAL_BYTES) {
        // One retry, warm: a GC pause or a busy neighbour on a 2-core runner is not the analyser being slow.
        const again = await analyseInput(input);
        outcome = again.ms < outcome.ms ? again : outcome;
      }
      const saved = outcome.crash || outcome.invalid ? saveFailure(input, outcome) : undefined;
      post({ type: 'done', outcome, saved });
    }
    post({ type: 'end' });
  } catch (e) {
    // A generator bug, not an analyser one: say which input it was building after.
    post({
      type: 'error',
      message: `${e instanceof Error ? e.stack : e} (after ${current?.name ?? 'no input'})`,
    });
  }
}

if (!isMainThread) {
  void main(workerData as WorkerTask);
}
