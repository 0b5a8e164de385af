// LSP tests: agent.py ↔ driver.py — editing one file changes the other's diagnostics, with a refresh; files on disk followed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { fixtureText, openTwoFileProject, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

const has = (ds: Diagnostic[], code: string, text?: RegExp) =>
  ds.some((d) => d.code === code && (!text || text.test(String(d.message))));

/** The position of the `]` closing the api_scopes list in driver.py. */
function listEnd(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('api_scopes=['));
  return { line, character: lines[line].indexOf(']', lines[line].indexOf('api_scopes=[')) };
}

describe('cross-file diagnostics', () => {
  let dir: string;
  let client: LspTestClient;
  let driverText: string;
  let agentText: string;
  const agent = () => uriOf(path.join(dir, 'agent.py'));
  const driver = () => uriOf(path.join(dir, 'driver.py'));

  before(async () => {
    ({ dir, client, agentText, driverText } = await openTwoFileProject());
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('shows the missing scope in both files', async () => {
    assert.ok(has(await client.diagnostics(agent()), 'OBO201', /serving\.serving-endpoints/));
    assert.ok(has(await client.diagnostics(driver()), 'OBO201', /serving\.serving-endpoints/));
  });

  it('editing api_scopes in driver.py refreshes and clears agent.py', async () => {
    const refreshes = client.refreshes;
    const at = listEnd(driverText);
    await client.change(driver(), 2, [
      { range: { start: at, end: at }, text: ', "serving.serving-endpoints"' },
    ]);
    // The client pulls the edited document itself; the server must ask for the other one.
    assert.equal(has(await client.diagnostics(driver()), 'OBO201'), false);
    await client.nextRefresh(refreshes);
    assert.equal(has(await client.diagnostics(agent()), 'OBO201'), false);
  });

  it('a docstring keystroke refreshes nothing; a cross-file edit refreshes once, code lenses too', async () => {
    const lenses = client.codeLensRefreshes;
    const refreshes = client.refreshes;
    const end = { line: 0, character: 3 };
    await client.change(driver(), 3, [{ range: { start: end, end }, text: 'x' }]);
    await client.diagnostics(driver());
    // The cross-file edit below is checked after the keystroke: only its refresh may arrive.
    const serving = agentText.indexOf('        summary = client.serving_endpoints');
    const line = agentText.slice(0, serving).split('\n').length - 1;
    await client.change(agent(), 2, [
      {
        range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
        text: '        summary = answer\n',
      },
    ]);
    await client.diagnostics(agent());
    await client.nextRefresh(refreshes);
    assert.equal(client.refreshes, refreshes + 1);
    await client.waitFor(() => client.codeLensRefreshes > lenses, 'workspace/codeLens/refresh');
  });

  it('editing agent.py (dropping the serving call) makes the declared scope unused in driver.py', async () => {
    const ds = await client.diagnostics(driver());
    assert.ok(has(ds, 'OBO202', /serving\.serving-endpoints/), JSON.stringify(ds.map((d) => d.message)));
  });
});

describe('files on disk', () => {
  let dir: string;
  let client: LspTestClient;
  const agentPath = () => path.join(dir, 'agent.py');
  const driverPath = () => path.join(dir, 'driver.py');

  before(async () => {
    dir = tempWorkspace('two-file');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    await client.open(uriOf(agentPath()), fixtureText('two-file', 'agent.py'));
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('follows a deleted logging script', async () => {
    assert.ok(has(await client.diagnostics(uriOf(agentPath())), 'OBO201'));
    const refreshes = client.refreshes;
    fs.rmSync(driverPath());
    await client.filesChanged([{ uri: uriOf(driverPath()), type: 3 }]);
    await client.nextRefresh(refreshes);
    assert.equal(has(await client.diagnostics(uriOf(agentPath())), 'OBO201'), false);
  });

  it('follows a created (renamed-in) logging script', async () => {
    const refreshes = client.refreshes;
    const renamed = path.join(dir, 'log_agent.py');
    fs.writeFileSync(renamed, fixtureText('two-file', 'driver.py'));
    await client.filesChanged([{ uri: uriOf(renamed), type: 1 }]);
    await client.nextRefresh(refreshes);
    assert.ok(has(await client.diagnostics(uriOf(agentPath())), 'OBO201'));
    const report = await client.workspaceDiagnostics();
    const item = report.items.find((i) => i.uri === uriOf(renamed));
    assert.ok(item && item.kind === 'full' && has(item.items, 'OBO201'));
  });

  it('follows a logging script changed on disk', async () => {
    const refreshes = client.refreshes;
    const renamed = path.join(dir, 'log_agent.py');
    fs.writeFileSync(
      renamed,
      fixtureText('two-file', 'driver.py').replace(
        '"dashboards.genie"',
        '"dashboards.genie", "model-serving"',
      ),
    );
    await client.filesChanged([{ uri: uriOf(renamed), type: 2 }]);
    await client.nextRefresh(refreshes);
    assert.equal(has(await client.diagnostics(uriOf(agentPath())), 'OBO201'), false);
  });

  it('a closed agent file is re-checked from disk and refreshed when its logging script changes', async () => {
    await client.close(uriOf(agentPath()));
    const refreshes = client.refreshes;
    const renamed = path.join(dir, 'log_agent.py');
    fs.writeFileSync(renamed, fixtureText('two-file', 'driver.py'));
    await client.filesChanged([{ uri: uriOf(renamed), type: 2 }]);
    await client.nextRefresh(refreshes);
    const report = await client.workspaceDiagnostics();
    const item = report.items.find((i) => i.uri === uriOf(agentPath()));
    assert.ok(item && item.kind === 'full' && has(item.items, 'OBO201'), 'agent.py is reported once closed');
  });
});

describe('workspace folders', () => {
  it('indexes an added folder and forgets a removed one', async () => {
    const a = tempWorkspace('two-file');
    const b = tempWorkspace('single');
    const client = await LspTestClient.start({ folder: a });
    try {
      await client.ready();
      const reported = async () =>
        (await client.workspaceDiagnostics()).items
          .filter((i) => i.kind === 'full' && i.items.length > 0)
          .map((i) => i.uri);
      assert.ok((await reported()).includes(uriOf(path.join(a, 'driver.py'))));
      const readies = client.statuses.filter((s) => s.state === 'ready').length;
      await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: [{ uri: uriOf(b), name: 'b' }], removed: [{ uri: uriOf(a), name: 'a' }] },
      });
      await client.waitFor(
        () => client.statuses.filter((s) => s.state === 'ready').length > readies,
        're-index',
      );
      const now = await reported();
      assert.ok(now.includes(uriOf(path.join(b, 'agent.py'))), now.join(', '));
      assert.ok(!now.includes(uriOf(path.join(a, 'driver.py'))), now.join(', '));
    } finally {
      await client.stop();
      removeWorkspace(a);
      removeWorkspace(b);
    }
  });
});
