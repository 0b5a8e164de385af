// The e2e fixture workspace: a fresh copy of test/e2e/workspace plus the files it shares with the other tests, kept once.
//   node out/test/e2e/runner/workspace.js DEST   (run.sh; .vscode-test.mjs and electron.ts call prepareWorkspace)
import * as fs from 'fs';
import * as path from 'path';

/**
 * Workspace files that are a canonical fixture, workspace path → repository path. Copied, not linked: the tests
 * edit and save files in the workspace, and a link would let them write through to the fixture.
 */
export const FROM_FIXTURES: Readonly<Record<string, string>> = {
  'seed_notebook/obo_agent_notebook.py': 'test/fixtures/seeds/vector_search_notebook.py',
};

/** Builds the workspace in `dest` (which must not exist yet) from the repository at `root`. */
export function prepareWorkspace(root: string, dest: string): void {
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), dest, {
    recursive: true,
    errorOnExist: true,
    force: false,
  });
  for (const [to, from] of Object.entries(FROM_FIXTURES)) {
    fs.mkdirSync(path.dirname(path.join(dest, to)), { recursive: true });
    fs.copyFileSync(path.join(root, from), path.join(dest, to), fs.constants.COPYFILE_EXCL);
  }
}

if (require.main === module) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node out/test/e2e/runner/workspace.js DEST');
    process.exit(2);
  }
  prepareWorkspace(path.resolve(__dirname, '../../../..'), path.resolve(dest));
}
