// ESLint flat config: typescript-eslint recommended plus the few rules the style guide insists on.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test/fixtures/**',
      'examples/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer boundaries (docs: server/src/analyser/ARCHITECTURE.md): only the client imports `vscode`; the analyser
  // and the catalog know nothing of LSP; the client reaches the server only through shared/.
  {
    files: ['server/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only client/ may import vscode: the server is plain Node.' }] },
      ],
    },
  },
  {
    files: ['server/src/analyser/**/*.ts', 'server/src/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The analyser never imports vscode.' }],
          patterns: [
            {
              group: ['vscode-languageserver*', 'vscode-jsonrpc*', '**/lsp/**', '**/cli/**', '**/client/**'],
              message:
                'The analyser and the catalog have no LSP or CLI knowledge: the lsp/ and cli/ layers adapt them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The catalog never imports vscode.' }],
          patterns: [
            {
              group: ['vscode-languageserver*', '**/lsp/**', '**/cli/**', '**/analyser/**', '**/client/**'],
              message: 'The catalog is data and its lookups: it depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'shared/ is used by both halves: no vscode.' }],
          patterns: [
            {
              group: ['vscode-languageserver*', 'vscode-languageclient*', '**/server/**', '**/client/**'],
              message: 'shared/ holds plain types and tables: it imports neither half.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', 'vscode-languageserver', 'vscode-languageserver/*'],
              message: 'The client reaches the server only through shared/ (and LSP at run time).',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI, test runners and benchmarks talk to a terminal on purpose.
    files: ['server/src/cli/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
