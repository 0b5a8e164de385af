// `npm run package`: production build + `vsce package` into a .vsix, then checks what it ships with `vsce ls`:
// the runtime files must be there, no source, test, map or node_modules file may be, and the size must stay <= 3 MB.
// It packages from a staging folder (the runtime files, with the sources linked in for the production build), so
// the development build in dist/ is left alone and vsce does not scan the repository (.vscode-test/ is large).
// usage: node scripts/package.js [--out FILE.vsix]      (default: obo-agents-<version>.vsix at the repo root)
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = process.env.OBO_PACKAGE_ROOT || path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(
  outArg > 0 ? process.argv[outArg + 1] : path.join(root, `${pkg.name}-${pkg.version}.vsix`),
);
const MAX_BYTES = 3 * 1024 * 1024;
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Copied into the staging folder: what the VSIX may ship (.vscodeignore picks from these). */
const COPY = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'images',
  'snippets',
  'client/python',
];
/** Linked into the staging folder: what `vscode:prepublish` (esbuild.js --production) reads to build dist/. */
const LINK = ['esbuild.js', 'client/src', 'server', 'node_modules', 'tsconfig.base.json'];

const REQUIRED = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'images/icon.png',
  'dist/client.js',
  'dist/server.js',
  'dist/cli.js',
  'dist/tree-sitter-python.wasm',
  'dist/web-tree-sitter.wasm',
];
const FORBIDDEN = [
  /(^|\/)node_modules\//,
  /\.ts$/,
  /\.map$/,
  /^(client\/src|server|test|out|scripts|examples|docs|\.ci|\.vscode-test|\.github)\//,
  /(^|\/)\.(env|npmrc|git\w*)$/,
  /tsconfig.*\.json$/,
  /\.vsix$/,
  /^esbuild\.js$/,
];

function stage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-vsix-'));
  for (const rel of COPY) {
    const from = path.join(root, rel);
    if (fs.existsSync(from)) {
      fs.cpSync(from, path.join(dir, rel), { recursive: true });
    }
  }
  for (const rel of LINK) {
    const from = path.join(root, rel);
    if (fs.existsSync(from)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.symlinkSync(from, path.join(dir, rel));
    }
  }
  return dir;
}

function vsceRun(cwd, args) {
  // vsce runs `vscode:prepublish` (the production esbuild) before packaging; every dependency is bundled into dist/.
  const r = spawnSync(process.execPath, [vsce, ...args, '--no-dependencies'], { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`vsce ${args[0]} failed (exit ${r.status})`);
  }
  return r.stdout;
}

function main() {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const t0 = Date.now();
  const dir = stage();
  try {
    vsceRun(dir, ['package', '--out', out]);
    const files = vsceRun(dir, ['ls'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const problems = [];
    for (const f of REQUIRED) {
      if (!files.includes(f)) problems.push(`missing: ${f}`);
    }
    for (const f of files) {
      if (FORBIDDEN.some((re) => re.test(f))) problems.push(`dev file shipped: ${f}`);
    }
    const size = fs.statSync(out).size;
    if (size > MAX_BYTES) problems.push(`${(size / 1048576).toFixed(2)} MB is over the 3 MB budget`);
    console.log(
      `${path.relative(root, out) || out}: ${(size / 1024).toFixed(0)} KB, ${files.length} files, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const f of files) console.log(`  ${f}`);
    if (problems.length) {
      console.error(`package check failed:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
