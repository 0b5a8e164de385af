// LSP tests: malformed and out-of-order traffic never kills the server; one failing file stays alone; slow files are cut off.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { generatedAgent } from './generatedAgent';
import { fixtureText, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

const codes = (ds: { code?: unknown }[]) => ds.map((d) => d.code).sort();

describe('malformed and out-of-order traffic', () => {
  let dir: string;
  let client: LspTestClient;
  const good = () => uriOf(path.join(dir, 'agent.py'));

  before(async () => {
    dir = tempWorkspace('single');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    await client.open(good(), fixtureText('single', 'agent.py'));
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('shrugs off notifications about documents it never saw', async () => {
    const ghost = uriOf(path.join(dir, 'ghost.py'));
    await client.change(ghost, 2, [{ text: 'x = 1' }]);
    await client.close(ghost);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: ghost } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: null });
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: good() },
      contentChanges: 'nope',
    });
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: uriOf(path.join(dir, 'ghost.ipynb')), version: 2 },
      change: { cells: { structure: { array: { start: -4, deleteCount: 'x' } } } },
    });
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: 7, cells: 'x' },
    });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: 12 }, null, { uri: 'file:///nope/x.py', type: 2 }],
    });
    assert.ok(await client.alive());
    assert.ok(client.logs.some((l) => /didChange for a document that is not open/.test(l.message)));
  });

  it('clamps out-of-range, reversed and non-numeric ranges, and applies stale versions', async () => {
    const uri = uriOf(path.join(dir, 'scratch.py'));
    await client.open(uri, 'a = 1\nb = 2\n', 5);
    await client.change(uri, 6, [
      { range: { start: { line: 99, character: 0 }, end: { line: 120, character: 9 } }, text: 'c = 3\n' },
    ]);
    await client.change(uri, 7, [
      { range: { start: { line: 1, character: 99 }, end: { line: 0, character: -3 } }, text: '' },
    ]);
    await client.change(uri, 3, [
      {
        range: { start: { line: 'x', character: null }, end: { line: NaN, character: {} } },
        text: '# top\n',
      },
    ] as never);
    assert.ok(await client.alive());
    assert.ok(client.logs.some((l) => /stale version/.test(l.message)));
    // The text stays a valid document the analyser can still read: the full agent still analyses after it.
    await client.change(uri, 8, [{ text: fixtureText('single', 'agent.py') }]);
    assert.ok(codes(await client.diagnostics(uri)).includes('OBO101'));
    // Its log site would also check agent.py: closing it (never saved) takes it out of the project.
    await client.close(uri);
  });

  it('answers unknown methods with MethodNotFound and ignores unknown notifications', async () => {
    await client.connection.sendNotification('obo/noSuchNotification', { x: 1 });
    await assert.rejects(
      client.connection.sendRequest('obo/noSuchRequest', {}),
      (e: unknown) => e instanceof ResponseError && e.code === -32601,
    );
    assert.ok(await client.alive());
  });

  it('answers requests with bad parameters without failing', async () => {
    assert.deepEqual(await client.diagnostics('not a uri'), []);
    assert.deepEqual(await client.diagnostics(uriOf(path.join(dir, 'never-opened.py'))), []);
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: 42 });
    assert.equal(
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: good() } }),
      null,
    );
    await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: good() },
      position: { line: -5, character: 1e9 },
    });
    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: good() },
      range: null,
      context: null,
    });
    await client.connection.sendRequest('textDocument/codeLens', {});
    await client.connection.sendRequest('workspace/diagnostic', { previousResultIds: 'x' });
    await client.connection.sendRequest('obo/agentReports', { uri: 5 });
    assert.ok(await client.alive());
  });

  it('survives a message that is not JSON', async () => {
    const garbage = '{"jsonrpc": "2.0", "method": ';
    client.process.stdin?.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    assert.ok(await client.alive());
  });

  it('survives invalid settings values', async () => {
    const refreshes = client.refreshes;
    await client.changeSettings(42);
    await client.nextRefresh(refreshes);
    assert.equal((await client.diagnostics(good())).length, 5);
    await client.changeSettings({
      catalog: { extra: { consumers: [{ callees: 'not a list' }], methods: 'x' } },
      exclude: [3, null],
    });
    assert.equal((await client.diagnostics(good())).length, 5);
    assert.ok(await client.alive());
  });

  it('still serves the good file correctly after all of it', async () => {
    assert.deepEqual(codes(await client.diagnostics(good())), [
      'OBO101',
      'OBO201',
      'OBO201',
      'OBO202',
      'OBO203',
    ]);
    assert.equal(client.exitCode, undefined);
  });
});

describe('an exception in one file', () => {
  it('is logged once and leaves the other files intact', async () => {
    const dir = tempWorkspace('single', { 'broken.py': fixtureText('single', 'agent.py') });
    const client = await LspTestClient.start({ folder: dir, env: { OBO_LSP_FAULT_INJECT: 'broken.py' } });
    try {
      await client.ready();
      const broken = uriOf(path.join(dir, 'broken.py'));
      const good = uriOf(path.join(dir, 'agent.py'));
      await client.open(broken, fixtureText('single', 'agent.py'));
      await client.open(good, fixtureText('single', 'agent.py'));
      for (let i = 0; i < 3; i++) {
        const ds = await client.diagnostics(broken);
        assert.deepEqual(codes(ds), ['OBO100']);
        assert.equal(ds[0].severity, 3);
        assert.match(String(ds[0].message), /internal error .*other files are unaffected/);
        await client.change(broken, i + 2, [{ text: fixtureText('single', 'agent.py') + '\n' }]);
      }
      assert.equal(codes(await client.diagnostics(good)).length, 5);
      const errors = client.logs.filter((l) => l.type === 1 && /broken\.py/.test(l.message));
      assert.equal(errors.length, 1, errors.map((e) => e.message).join('\n'));
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});

describe('a file over its time budget', () => {
  it('is cut off with an information-level OBO100 and an info log, not an error', async () => {
    const client = await LspTestClient.start({ initializationOptions: { timeBudgetMs: 1 } });
    try {
      await client.ready();
      const uri = 'untitled:big-agent';
      await client.open(uri, generatedAgent(3000));
      const ds = await client.diagnostics(uri);
      const cut = ds.find((d) => d.code === 'OBO100' && /time budget/.test(String(d.message)));
      assert.ok(cut, JSON.stringify(ds.map((d) => d.message)));
      assert.equal(cut.severity, 3);
      assert.ok(client.logs.some((l) => l.type === 3 && /over the 1 ms budget/.test(l.message)));
      assert.ok(await client.alive());
    } finally {
      await client.stop();
    }
  });
});
