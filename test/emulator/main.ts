// Runs the emulator on its own (for e2e tests and manual trials): prints `EMULATOR_URL=...` and serves until killed.
import { readFileSync } from 'node:fs';
import { Emulator, DEFAULT_SEED, type Seed } from './emulator';

async function main() {
  const args = process.argv.slice(2);
  const port = Number(args[args.indexOf('--port') + 1] ?? 0) || 0;
  const seedFile = args.includes('--seed') ? args[args.indexOf('--seed') + 1] : undefined;
  const seed: Seed = seedFile ? (JSON.parse(readFileSync(seedFile, 'utf8')) as Seed) : DEFAULT_SEED;
  const emu = new Emulator(seed);
  const url = await emu.start(port);
  console.log(`EMULATOR_URL=${url}`);
  const stop = () => void emu.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
