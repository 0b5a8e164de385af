// `npm run bench`: runs every *.bench.js beside this file in turn (or those whose name contains an argument).
import * as fs from 'fs';
import * as path from 'path';

/** What a benchmark file exports: `run` prints its figures through report(). */
export interface Bench {
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  console.log(
    `obo benchmarks on node ${process.version}, ${process.platform}/${process.arch}: ${files.join(', ')}`,
  );
  for (const f of files) {
    const bench = require(path.join(__dirname, f)) as Bench; // eslint-disable-line @typescript-eslint/no-require-imports
    await bench.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
