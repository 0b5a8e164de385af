// `npm run fuzz`: every stdlib file and the long mutation budget, with progress and the counts; exit 1 on a new failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Budget, ROOT } from './corpus';
import { bigFile, type Family, FAMILIES } from './generators';
import { analyseInput } from './harness';
import { describeFailure, type FamilyStats, formatStats, runFamily } from './runner';

async function main(): Promise<number> {
  const budget: Budget = process.env.OBO_FUZZ_BUDGET === 'ci' ? 'ci' : 'long';
  const seed = Number(process.env.OBO_FUZZ_SEED ?? 1);
  const only = process.argv.slice(2) as Family[];
  const families = only.length ? FAMILIES.filter((f) => only.includes(f)) : FAMILIES;
  console.log(`fuzz (${budget}, seed ${seed}): ${families.join(', ')}; set OBO_FUZZ_SEED for other inputs`);
  const all: FamilyStats[] = [];
  const t0 = Date.now();
  for (const family of families) {
    let n = 0;
    let failed = 0;
    const stats = await runFamily(
      family,
      budget,
      seed,
      () => {
        // A TTY gets a counter in place; a log file gets a line every 1,000 inputs.
        if (process.stdout.isTTY ? ++n % 250 === 0 : ++n % 1000 === 0) {
          const min = ((Date.now() - t0) / 60_000).toFixed(1);
          const line = `  ${family}: ${n} inputs, ${failed} new failure(s), ${min} min`;
          process.stdout.write(`${line}${process.stdout.isTTY ? '\r' : '\n'}`);
        }
      },
      // A new failure is printed when it happens: a run stopped after an hour still tells what it found.
      (f) => {
        if (!f.known) {
          failed++;
          console.log(`  NEW ${describeFailure(f)}`);
        }
      },
    );
    all.push(stats);
    console.log(formatStats([stats]).split('\n')[0]);
    if (stats.error) {
      console.log(`  fuzzer error: ${stats.error}`);
    }
  }
  const big = bigFile(5 << 20, seed);
  await analyseInput({ ...big, text: (big.text ?? '').slice(0, 200_000), name: 'warm-up' });
  const o = await analyseInput(big);
  const bigLine = `5 MB file: ${o.ms.toFixed(0)} ms CPU (${(o.ms / 5).toFixed(0)} ms/MB), ${o.wallMs.toFixed(0)} ms wall, cut-off note: ${o.cutOff ? 'yes' : 'no'}${o.crash ? `, CRASH ${o.crash}` : ''}`;
  const summary = `${formatStats(all)}\n${bigLine}\nwall time ${((Date.now() - t0) / 1000).toFixed(0)} s`;
  console.log(`\n${summary}`);
  fs.mkdirSync(path.join(ROOT, 'out', 'fuzz'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'out', 'fuzz', `summary-${budget}.txt`), `${summary}\n`);
  const fresh = all.flatMap((s) => s.failures).filter((f) => !f.known);
  const broken = all.some((s) => s.error) || o.crash !== undefined;
  return fresh.length || broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
