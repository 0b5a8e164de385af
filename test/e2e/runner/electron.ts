// Runs the integration suite with @vscode/test-electron in a downloaded desktop VS Code (needs internet access):
//   npx tsc -b && npm run build && node out/test/e2e/runner/electron.js [--vsix path/to.vsix]
// Same suite and the same entry (suite/index.js) as test/e2e/run.sh, which uses code-server where nothing can be downloaded.
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  downloadAndUnzipVSCode,
  resolveCliArgsFromVSCodeExecutablePath,
  runTests,
} from '@vscode/test-electron';
import { prepareWorkspace } from './workspace';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../../..');
  const vsixAt = process.argv.indexOf('--vsix');
  const vsix = vsixAt > 0 ? path.resolve(process.argv[vsixAt + 1]) : undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-e2e-'));
  const workspace = path.join(tmp, 'ws');
  prepareWorkspace(root, workspace);
  const extensionsDir = path.join(tmp, 'exts');
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_TEST_VERSION || 'stable');
  if (vsix) {
    const [cli, ...args] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    cp.spawnSync(cli, [...args, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      stdio: 'inherit',
    });
  }
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: vsix ? path.join(root, 'test/e2e/host') : root,
    extensionTestsPath: path.join(root, 'out/test/e2e/suite/index.js'),
    extensionTestsEnv: { OBO_E2E_MODE: vsix ? 'vsix' : 'dev', OBO_E2E_REPO: root },
    launchArgs: [
      workspace,
      '--disable-workspace-trust',
      '--user-data-dir',
      path.join(tmp, 'user'),
      '--extensions-dir',
      extensionsDir,
      ...(vsix ? [] : ['--disable-extensions']),
    ],
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
