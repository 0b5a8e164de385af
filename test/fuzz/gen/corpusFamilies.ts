// Fuzz families built from files on disk: sampled stdlib modules, mutated fixtures and their truncations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Budget, relative, stdlibDir, stdlibFiles } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';
import { corpusFor, input, parseNotebook, SIZES } from './common';
import { mutate } from './mutations';

export function* stdlib(budget: Budget, seed: number): Generator<FuzzInput> {
  const dir = stdlibDir();
  if (!dir) {
    return;
  }
  const all = stdlibFiles(dir);
  const files = new Rng(seed).sample(all, SIZES[budget].stdlib);
  for (const file of files) {
    const buf = fs.readFileSync(file);
    // Decoded as the server decodes files it reads from disk.
    const text = buf.toString('utf8');
    yield {
      name: `stdlib:${path.relative(dir, file)}`,
      path: file,
      text,
      bytes: buf.length,
      seed: hashSeed(file),
    };
  }
}

export function* mutants(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = corpusFor(budget, seed, 'mutants');
  const others = corpus.map((c) => c.text);
  for (const { file, text } of corpus) {
    for (let k = 0; k < SIZES[budget].mutants; k++) {
      const s = hashSeed(`${seed}:${file}:${k}`);
      const rng = new Rng(s);
      const nb = file.endsWith('.ipynb') ? parseNotebook(text) : undefined;
      if (nb && rng.chance(0.6)) {
        // Keep the JSON valid and break the Python inside it, so the cell path is what gets fuzzed.
        const code = nb.cells.filter((c) => c.cell_type === 'code');
        const ops: string[] = [];
        for (const cell of rng.sample(code, rng.range(1, 3))) {
          const src = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
          const m = mutate(src, rng, others);
          cell.source = rng.chance(0.5) ? m.text : m.text.split(/(?<=\n)/);
          ops.push(...m.ops);
        }
        yield input(
          `mutants:${relative(file)}#${k}[cells:${ops.join(',')}]`,
          file,
          JSON.stringify(nb, null, 1),
          s,
        );
        continue;
      }
      const m = mutate(text, rng, others);
      yield input(`mutants:${relative(file)}#${k}[${m.ops.join(',')}]`, file, m.text, s);
    }
  }
}

export function* truncations(budget: Budget, seed: number): Generator<FuzzInput> {
  for (const { file, text } of corpusFor(budget, seed, 'truncations')) {
    // A file shorter than the budget has fewer distinct cut points than asked for.
    const n = Math.min(SIZES[budget].truncations, text.length + 1);
    const rng = new Rng(hashSeed(`${seed}:${file}`));
    // Evenly spread cut points plus random ones: every kind of half-typed construct shows up somewhere.
    const points = new Set<number>();
    for (let k = 0; k < n / 2; k++) {
      points.add(Math.floor((text.length * (k + 1)) / (n / 2 + 1)));
    }
    while (points.size < n) {
      points.add(rng.int(text.length + 1));
    }
    for (const p of [...points].sort((a, b) => a - b)) {
      yield input(`truncations:${relative(file)}@${p}`, file, text.slice(0, p), hashSeed(`${file}@${p}`));
    }
  }
}
