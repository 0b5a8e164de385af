// `npm test`: builds, type-checks, then runs every test layer in order and closes with one "N passed, N failed" line.
// Layers: unit, cli, lsp, databricks, fuzz (node:test over out/test/<layer>) and e2e (a real VS Code, test/e2e/run.sh).
// OBO_TEST_LAYERS=unit,lsp limits the layers; OBO_SKIP_E2E=1 skips the real-editor layer.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const only = process.env.OBO_TEST_LAYERS ? process.env.OBO_TEST_LAYERS.split(',') : undefined;
const nodeLayers = ['unit', 'cli', 'lsp', 'databricks', 'fuzz'];
let passed = 0;
let failed = 0;
const t0 = Date.now();

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    ...opts,
  });
  process.stdout.write(r.stdout || '');
  return r;
}

function step(name, cmd, args) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`${name} failed (exit ${r.status})`);
    console.log(`0 passed, 1 failed`);
    process.exit(1);
  }
}

step('build', process.execPath, ['esbuild.js']);
step('type-check', process.execPath, [require.resolve('typescript/bin/tsc'), '-b']);

for (const layer of nodeLayers) {
  if (only && !only.includes(layer)) continue;
  const dir = path.join(root, 'out', 'test', layer);
  if (!fs.existsSync(dir)) continue;
  console.log(`\n=== ${layer} tests`);
  const r = run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', dir], {
    env: { ...process.env, OBO_FUZZ_BUDGET: process.env.OBO_FUZZ_BUDGET || 'ci' },
  });
  const p = /^ℹ pass (\d+)/m.exec(r.stdout || '');
  const f = /^ℹ fail (\d+)/m.exec(r.stdout || '');
  passed += p ? +p[1] : 0;
  failed += f ? +f[1] : 0;
  if (r.status !== 0 && !(f && +f[1] > 0)) failed += 1; // crashed without reporting a failing test
}

const e2e = path.join(root, 'test', 'e2e', 'run.sh');
if (!process.env.OBO_SKIP_E2E && (!only || only.includes('e2e')) && fs.existsSync(e2e)) {
  console.log('\n=== e2e tests (real VS Code)');
  const r = run('bash', [e2e]);
  const m = /^(\d+) passed, (\d+) failed/m.exec([...(r.stdout || '').split('\n')].reverse().join('\n'));
  passed += m ? +m[1] : 0;
  failed += m ? +m[2] : 0;
  if (r.status !== 0 && !(m && +m[2] > 0)) failed += 1;
}

console.log(`\nall layers done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
