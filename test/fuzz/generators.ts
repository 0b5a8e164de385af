// Deterministic fuzz input families: stdlib files, mutated fixtures, extremes, notebooks, Databricks sources, edit streams.
// The families live in gen/; this module picks one by name and builds the big file.
import * as fs from 'node:fs';
import { type Budget, readCorpus, stdlibDir, stdlibFiles } from './corpus';
import { regressionInputs } from './failures';
import { input } from './gen/common';
import { mutants, stdlib, truncations } from './gen/corpusFamilies';
import { databricks, DBX_HEADER } from './gen/databricks';
import { edits } from './gen/edits';
import { extremes } from './gen/extremes';
import { notebooks } from './gen/notebooks';
import type { FuzzInput } from './harness';
import { Rng } from './prng';

export { mutate } from './gen/mutations';
export { NESTINGS } from './gen/extremes';
export { randomChange } from './gen/edits';

export type Family =
  'regressions' | 'stdlib' | 'mutants' | 'truncations' | 'extremes' | 'notebooks' | 'databricks' | 'edits';
export const FAMILIES: Family[] = [
  'regressions',
  'stdlib',
  'mutants',
  'truncations',
  'extremes',
  'notebooks',
  'databricks',
  'edits',
];

export function* generate(family: Family, budget: Budget, seed: number): Generator<FuzzInput> {
  switch (family) {
    case 'regressions':
      yield* regressionInputs();
      break;
    case 'stdlib':
      yield* stdlib(budget, seed);
      break;
    case 'mutants':
      yield* mutants(budget, seed);
      break;
    case 'truncations':
      yield* truncations(budget, seed);
      break;
    case 'extremes':
      yield* extremes(budget);
      break;
    case 'notebooks':
      yield* notebooks(budget, seed);
      break;
    case 'databricks':
      yield* databricks(budget, seed);
      break;
    case 'edits':
      yield* edits(budget, seed);
      break;
  }
}

/** Rebuilds one input by name (for saving a failure as a regression fixture). */
export function find(family: Family, budget: Budget, seed: number, name: string): FuzzInput | undefined {
  for (const i of generate(family, budget, seed)) {
    if (i.name === name) {
      return i;
    }
  }
  return undefined;
}

/**
 * The 5 MB file: standard-library modules (deterministic sample) with the project's agent fixtures spliced in
 * every ~100 KB, so the interpreter has real agent code to chase all the way down.
 */
export function bigFile(targetBytes: number, seed: number): FuzzInput {
  const dir = stdlibDir();
  const agents = readCorpus()
    .filter(
      (c) =>
        c.file.endsWith('.py') && !c.text.startsWith(DBX_HEADER) && /WorkspaceClient|log_model/.test(c.text),
    )
    .map((c) => c.text);
  const stdlibTexts = dir
    ? new Rng(seed).sample(stdlibFiles(dir), 400).map((f) => fs.readFileSync(f, 'utf8'))
    : [];
  const parts: string[] = [];
  let size = 0;
  let sinceAgent = 0;
  for (let i = 0; size < targetBytes; i++) {
    const next =
      sinceAgent > 100_000 || !stdlibTexts.length
        ? agents[i % agents.length]
        : stdlibTexts[i % stdlibTexts.length];
    sinceAgent = next === agents[i % agents.length] ? 0 : sinceAgent + next.length;
    parts.push(next);
    size += next.length + 1;
  }
  const text = parts.join('\n').slice(0, targetBytes);
  return input(`big:${(targetBytes / (1 << 20)).toFixed(0)}MB`, '/fuzz/big_5mb.py', text, seed);
}
