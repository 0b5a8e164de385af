// @vscode/test-cli configuration: the same integration suite as test/e2e/run.sh, in a downloaded desktop VS Code.
// For contributors whose machine can download VS Code:
//   npx tsc -b && npm run build && npx --yes -p @vscode/test-cli -p @vscode/test-electron vscode-test --label e2e
// Each run works on a fresh copy of the fixture workspace (the tests edit and save files in it).
// The workspace is built by the compiled test/e2e/runner/workspace.ts (hence `npx tsc -b` first).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareWorkspace } from './out/test/e2e/runner/workspace.js';

const workspace = join(mkdtempSync(join(tmpdir(), 'obo-e2e-')), 'ws');
prepareWorkspace(process.cwd(), workspace);

export default [
  {
    label: 'e2e',
    files: 'out/test/e2e/suite/**/*.test.js',
    extensionDevelopmentPath: '.',
    workspaceFolder: workspace,
    launchArgs: [
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    env: { OBO_E2E_MODE: 'dev', OBO_E2E_REPO: process.cwd() },
    mocha: { ui: 'bdd', timeout: 30000, color: true },
  },
];
