// The Databricks sources fuzz family: `# Databricks notebook source` files with broken MAGIC and COMMAND structure.
import { type Budget, readCorpus } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';
import { input, SIZES } from './common';
import { MUTATORS } from './mutations';

export const DBX_HEADER = '# Databricks notebook source';
const DBX_SEP = '# COMMAND ----------';

export function* databricks(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = readCorpus();
  const sources = corpus.filter((c) => c.text.startsWith(DBX_HEADER)).map((c) => c.text);
  const pyTexts = corpus.filter((c) => c.file.endsWith('.py')).map((c) => c.text);
  const cellKinds = [
    (rng: Rng) => rng.pick(pyTexts).split('\n').slice(0, rng.range(1, 30)).join('\n'),
    () => '# MAGIC %md\n# MAGIC # Title\n# MAGIC text',
    (rng: Rng) =>
      `# MAGIC %python\n${rng
        .pick(pyTexts)
        .split('\n')
        .slice(0, 20)
        .map((l) => `# MAGIC ${l}`)
        .join('\n')}`,
    (rng: Rng) =>
      `# MAGIC %%writefile ${rng.pick(['agent.py', '', '../x.py'])}\n${rng
        .pick(pyTexts)
        .split('\n')
        .slice(0, 25)
        .map((l) => `# MAGIC ${l}`)
        .join('\n')}`,
    () => '# MAGIC %pip install mlflow\n# MAGIC %restart_python',
    () => '# MAGIC %sql\n# MAGIC SELECT 1',
    () => '# MAGIC',
    () => '# MAGICx = 1\n#MAGIC y = 2\n# MAGIC\t%python\n# MAGIC  %python',
    () => '# DBTITLE 1,Title\n# DBTITLE',
    () => '# MAGIC %python\nx = 1\n# MAGIC y = (',
    () => '# MAGIC %python\n# MAGIC def f():\n# MAGIC     return WorkspaceClient(\n',
    () => '',
  ];
  for (let k = 0; k < SIZES[budget].databricks; k++) {
    const s = hashSeed(`${seed}:dbx:${k}`);
    const rng = new Rng(s);
    let text: string;
    let how: string;
    if (sources.length && rng.chance(0.5)) {
      how = 'fixture';
      const lines = rng.pick(sources).split('\n');
      // Break the MAGIC structure of real notebooks: prefixes dropped, separators lost or damaged.
      for (let n = rng.range(1, 8); n > 0; n--) {
        const i = rng.range(1, lines.length - 1);
        const op = rng.int(6);
        if (op === 0) {
          lines[i] = lines[i].replace(/^# MAGIC ?/, '');
        } else if (op === 1) {
          lines[i] = lines[i].replace(
            /^# COMMAND -+/,
            rng.pick(['', '# COMMAND --', '# COMMAND ---------- junk', '#COMMAND ----------']),
          );
        } else if (op === 2) {
          lines[i] = `# MAGIC ${lines[i]}`;
        } else if (op === 3) {
          lines.splice(
            i,
            0,
            rng.pick([DBX_SEP, '# MAGIC %python', '# MAGIC %%writefile', '# MAGIC %md', '# DBTITLE 1,x']),
          );
        } else if (op === 4) {
          lines.splice(i, rng.range(1, 10));
        } else {
          lines[i] = MUTATORS.insertToken(lines[i], rng, []);
        }
      }
      text = lines.join('\n');
    } else {
      how = 'synthetic';
      const cells = Array.from({ length: rng.range(0, 12) }, () => rng.pick(cellKinds)(rng));
      text = [DBX_HEADER, ...cells].join(`\n\n${DBX_SEP}\n\n`);
    }
    if (rng.chance(0.2)) {
      text = MUTATORS[rng.pick(['lineEndings', 'nul', 'invalidUtf8', 'truncate'])](text, rng, pyTexts);
      how += '+raw';
    }
    if (rng.chance(0.1)) {
      text = rng.pick([
        `\uFEFF${text}`,
        text.replace(DBX_HEADER, `${DBX_HEADER}   `),
        text.replace(DBX_HEADER, `${DBX_HEADER}\r`),
      ]);
      how += '+header';
    }
    yield input(`databricks:${how}#${k}`, `/fuzz/dbx_${k}.py`, text, s);
  }
  for (const text of [
    DBX_HEADER,
    `${DBX_HEADER}\n`,
    `${DBX_HEADER}\0\n${DBX_SEP}`,
    `${DBX_HEADER}\n${DBX_SEP}\n`.repeat(5000),
  ]) {
    yield input(`databricks:edge#${hashSeed(text)}`, '/fuzz/dbx_edge.py', text, hashSeed(text));
  }
}
