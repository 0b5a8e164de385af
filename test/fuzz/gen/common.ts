// Shared by the fuzz input families: how many inputs each budget makes, the input record, the corpus sample.
import * as path from 'node:path';
import { type Budget, readCorpus, SEED_FIXTURES } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';

/** How many inputs each family makes per budget; `long` is what `npm run fuzz` runs. */
export const SIZES: Record<
  Budget,
  {
    stdlib: number;
    mutants: number;
    truncations: number;
    notebooks: number;
    databricks: number;
    edits: number;
    editBatches: number;
  }
> = {
  ci: { stdlib: 100, mutants: 10, truncations: 12, notebooks: 6, databricks: 25, edits: 6, editBatches: 8 },
  long: {
    stdlib: Infinity,
    mutants: 150,
    truncations: 120,
    notebooks: 60,
    databricks: 400,
    edits: 60,
    editBatches: 25,
  },
};

export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function input(name: string, filePath: string, text: string, seed: number): FuzzInput {
  return { name, path: filePath, text, bytes: utf8Bytes(text), seed };
}

/** A fixture notebook with a `cells` list, or undefined for the deliberately broken ones. */
export function parseNotebook(
  text: string,
): { cells: { cell_type?: string; source?: unknown }[] } | undefined {
  try {
    const nb = JSON.parse(text) as { cells?: unknown };
    return Array.isArray(nb.cells)
      ? (nb as { cells: { cell_type?: string; source?: unknown }[] })
      : undefined;
  } catch {
    return undefined;
  }
}

const CI_CORPUS_FILES = 20;

/**
 * The corpus a family works on: every fixture for the long run; for ci a fixed-size sample, so the slice keeps
 * its running time as other engineers add fixtures (the seeds' agents are always in).
 */
export function corpusFor(budget: Budget, seed: number, family: string): { file: string; text: string }[] {
  const all = readCorpus();
  if (budget === 'long') {
    return all;
  }
  const isSeed = (c: { file: string }) =>
    c.file.includes(`${path.sep}fuzz${path.sep}seeds${path.sep}`) || SEED_FIXTURES.includes(c.file);
  const seeds = all.filter(isSeed);
  const rest = all.filter((c) => !isSeed(c));
  return [...seeds, ...new Rng(hashSeed(`${seed}:${family}`)).sample(rest, CI_CORPUS_FILES - seeds.length)];
}
