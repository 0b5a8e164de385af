// The e2e workspace is assembled before VS Code starts: the checked-in folder plus the seed notebook, kept once in fixtures.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FROM_FIXTURES, prepareWorkspace } from '../e2e/runner/workspace';

const ROOT = path.resolve(__dirname, '../../..');

function files(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

describe('prepareWorkspace (e2e)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-ws-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const ws = path.join(tmp, 'ws');
  prepareWorkspace(ROOT, ws);

  it('copies the checked-in workspace and adds the shared fixtures, byte for byte', () => {
    const checkedIn = files(path.join(ROOT, 'test', 'e2e', 'workspace'));
    assert.deepEqual(files(ws), [...checkedIn, ...Object.keys(FROM_FIXTURES).map(path.normalize)].sort());
    for (const [to, from] of Object.entries(FROM_FIXTURES)) {
      assert.ok(!checkedIn.includes(path.normalize(to)), `${to} is not checked in twice`);
      assert.ok(fs.readFileSync(path.join(ws, to)).equals(fs.readFileSync(path.join(ROOT, from))), to);
    }
  });

  it('gives the seed notebook where 02-diagnostics.test.ts expects its OBO402 line', () => {
    // The e2e assertion: the first `ModelServingUserCredentials` is on the `# MAGIC from ...credentials_provider` line.
    const lines = fs
      .readFileSync(path.join(ws, 'seed_notebook', 'obo_agent_notebook.py'), 'utf8')
      .split('\n');
    const line = lines.find((l) => l.includes('ModelServingUserCredentials'));
    assert.ok(line?.startsWith('# MAGIC from databricks.sdk.credentials_provider'), line);
  });

  it('refuses to build over an existing workspace (the tests would see stale edits)', () => {
    assert.throws(() => prepareWorkspace(ROOT, ws));
  });
});
