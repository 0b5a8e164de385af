// Builds the three bundles (extension client, language server, CLI) and copies the tree-sitter wasm beside them.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * web-tree-sitter's ESM build needs `import.meta.url`, which a CommonJS bundle does not have: always take its
 * CommonJS build, whatever condition the import statement implies.
 */
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({
      path: require.resolve('web-tree-sitter'),
    }));
  },
};

const common = {
  plugins: [treeSitterCjs],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

const builds = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { server: 'server/src/lsp/main.ts' } },
  { entryPoints: { cli: 'server/src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
];

/** The parser loads these at run time next to the bundle, so they ship in dist/. */
function copyWasm() {
  fs.mkdirSync('dist', { recursive: true });
  const files = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ];
  for (const f of files) {
    fs.copyFileSync(f, path.join('dist', path.basename(f)));
  }
}

async function main() {
  copyWasm();
  const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b, outdir: 'dist' })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join('dist', 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
