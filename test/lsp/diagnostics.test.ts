// LSP tests: pull diagnostics over stdio — capabilities, the diagnostic contract, result ids, settings, workspace pull.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { fixtureText, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

describe('pull diagnostics', () => {
  let dir: string;
  let client: LspTestClient;
  let published = 0;
  const agent = () => uriOf(path.join(dir, 'agent.py'));
  const driver = () => uriOf(path.join(dir, 'driver.py'));

  before(async () => {
    dir = tempWorkspace('two-file');
    client = await LspTestClient.start({ folder: dir });
    client.connection.onNotification('textDocument/publishDiagnostics', () => {
      published++;
    });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('declares pull diagnostics (document + workspace), code actions with fix-all, notebooks', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.diagnosticProvider, {
      identifier: 'obo',
      interFileDependencies: true,
      workspaceDiagnostics: true,
    });
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, [
      'quickfix',
      'source.fixAll.obo',
    ]);
    assert.ok(caps.notebookDocumentSync);
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.codeLensProvider);
  });

  it('registers for settings changes and watched files', () => {
    const methods = client.registrations.map((r) => r.method);
    assert.ok(methods.includes('workspace/didChangeConfiguration'));
    assert.ok(methods.includes('workspace/didChangeWatchedFiles'));
  });

  it('reports indexing through work-done progress and obo/status', () => {
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const ready = client.statuses.find((s) => s.state === 'ready');
    assert.deepEqual(ready, { state: 'ready', files: 2, agents: 1 });
  });

  it('gives each finding code, source, doc link, related information and fix data', async () => {
    await client.open(agent(), fixtureText('two-file', 'agent.py'));
    const ds = await client.diagnostics(agent());
    assert.deepEqual(codes(ds), ['OBO201']);
    const d = ds[0];
    assert.equal(d.source, 'obo');
    assert.equal(d.severity, 1);
    assert.match(d.codeDescription?.href ?? '', /^https:\/\/github\.com\/.+\/docs\/rules\/OBO201\.md$/);
    assert.match(String(d.message), /serving\.serving-endpoints/);
    assert.equal(d.relatedInformation?.[0].location.uri, driver());
    const data = d.data as {
      uri: string;
      version: number;
      fixes: { title: string; safe: boolean; changes: object }[];
    };
    assert.equal(data.uri, agent());
    assert.equal(data.version, 1);
    assert.equal(data.fixes.length, 1);
    assert.equal(data.fixes[0].safe, true);
    assert.deepEqual(Object.keys(data.fixes[0].changes), [driver()]);
  });

  it('answers unchanged when nothing moved since the previous result id', async () => {
    const first = await client.report(agent());
    assert.equal(first.kind, 'full');
    const second = await client.report(agent(), (first as { resultId: string }).resultId);
    assert.equal(second.kind, 'unchanged');
  });

  it('reports closed files through workspace diagnostics, unchanged on the next pull', async () => {
    const report = await client.workspaceDiagnostics();
    const forDriver = report.items.find((i) => i.uri === driver());
    assert.ok(forDriver && forDriver.kind === 'full');
    assert.deepEqual(codes(forDriver.items), ['OBO201']);
    assert.equal(forDriver.version, null);
    assert.ok(!report.items.some((i) => i.uri === agent()), 'open documents are pulled per document');
    const again = await client.workspaceDiagnostics([{ uri: driver(), value: forDriver.resultId as string }]);
    assert.equal(again.items.find((i) => i.uri === driver())?.kind, 'unchanged');
  });

  it('never pushes diagnostics', () => {
    assert.equal(published, 0);
  });
});

describe('settings per resource', () => {
  let dir: string;
  let client: LspTestClient;
  const agent = () => uriOf(path.join(dir, 'agent.py'));

  before(async () => {
    dir = tempWorkspace('single');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    await client.open(agent(), fixtureText('single', 'agent.py'));
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('shows the default severities, with the unused scope tagged Unnecessary', async () => {
    const ds = await client.diagnostics(agent());
    // The client built in __init__ and kept on self is one mistake: OBO101, no OBO102 (issue 9).
    assert.deepEqual(codes(ds), ['OBO101', 'OBO201', 'OBO201', 'OBO202', 'OBO203']);
    const unused = ds.find((d) => d.code === 'OBO202');
    assert.equal(unused?.severity, 2);
    assert.deepEqual(unused?.tags, [1]);
    assert.equal(ds.find((d) => d.code === 'OBO203')?.tags, undefined);
  });

  it('applies severity overrides and "off", re-reading settings on change', async () => {
    const asked = client.configurationRequests;
    const refreshes = client.refreshes;
    await client.changeSettings({
      rules: { severity: { OBO202: 'off', OBO203: 'hint', obo101: 'information' } },
    });
    await client.nextRefresh(refreshes);
    const ds = await client.diagnostics(agent());
    assert.ok(client.configurationRequests > asked, 'settings were fetched again');
    assert.deepEqual(codes(ds), ['OBO101', 'OBO201', 'OBO201', 'OBO203']);
    assert.equal(ds.find((d) => d.code === 'OBO203')?.severity, 4);
    assert.equal(ds.find((d) => d.code === 'OBO101')?.severity, 3);
  });

  it('shows nothing when disabled, and everything again when re-enabled', async () => {
    let refreshes = client.refreshes;
    await client.changeSettings({ enable: false });
    await client.nextRefresh(refreshes);
    assert.deepEqual(await client.diagnostics(agent()), []);
    refreshes = client.refreshes;
    await client.changeSettings({ enable: true });
    await client.nextRefresh(refreshes);
    assert.equal((await client.diagnostics(agent())).length, 5);
  });

  it('shows nothing for excluded files', async () => {
    const refreshes = client.refreshes;
    await client.changeSettings({ exclude: ['agent.py'] });
    await client.nextRefresh(refreshes);
    assert.deepEqual(await client.diagnostics(agent()), []);
    const again = client.refreshes;
    await client.changeSettings({});
    await client.nextRefresh(again);
  });

  it('falls back to defaults on invalid values, logs why, and keeps serving', async () => {
    const refreshes = client.refreshes;
    await client.changeSettings({
      enable: 'yes',
      rules: { severity: { OBO201: 'fatal', OBO999: 3 } },
      exclude: 'agent.py',
    });
    await client.nextRefresh(refreshes);
    const ds = await client.diagnostics(agent());
    assert.equal(ds.length, 5);
    assert.ok(
      client.logs.some((l) => l.type === 2 && /oboAgents\.enable must be true or false/.test(l.message)),
    );
    assert.ok(client.logs.some((l) => /oboAgents\.rules\.severity: ignoring "OBO201"/.test(l.message)));
    assert.ok(client.logs.some((l) => /oboAgents\.exclude must be a list/.test(l.message)));
  });
});

describe('documents outside the workspace', () => {
  it('analyses an untitled document on its own', async () => {
    const client = await LspTestClient.start({});
    try {
      await client.ready();
      const uri = 'untitled:Untitled-1';
      await client.open(uri, fixtureText('single', 'agent.py'));
      const ds = await client.diagnostics(uri);
      assert.ok(ds.some((d) => d.code === 'OBO101'));
      assert.equal((ds[0].data as { uri: string }).uri, uri);
    } finally {
      await client.stop();
    }
  });
});

/** An agent calling an in-house wrapper the built-in catalog does not know. */
const WRAPPER_AGENT = `import mlflow
from databricks.sdk import WorkspaceClient
from databricks_ai_bridge import ModelServingUserCredentials
from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
from mlflow.pyfunc import ResponsesAgent
from acme.tools import ask_space


class Agent(ResponsesAgent):
    def predict(self, request):
        client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
        return ask_space("01f0", workspace_client=client)


mlflow.models.set_model(Agent())
mlflow.pyfunc.log_model(
    name="agent",
    python_model="agent.py",
    auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["sql"])),
)
`;

describe('catalog entries from settings', () => {
  it('teaches the analyser an in-house wrapper, rebuilding the project when the entries change', async () => {
    const dir = tempWorkspace(undefined, { 'agent.py': WRAPPER_AGENT });
    const client = await LspTestClient.start({ folder: dir });
    try {
      await client.ready();
      const uri = uriOf(path.join(dir, 'agent.py'));
      await client.open(uri, WRAPPER_AGENT);
      assert.ok(
        !(await client.diagnostics(uri)).some((d) => d.code === 'OBO201'),
        'unknown wrapper: nothing required',
      );
      const refreshes = client.refreshes;
      await client.changeSettings({
        catalog: {
          extra: {
            consumers: [
              {
                callees: ['acme.tools.ask_space'],
                clientParam: { keyword: 'workspace_client' },
                needs: { required: ['dashboards.genie'] },
              },
            ],
          },
        },
      });
      await client.nextRefresh(refreshes);
      const ds = await client.diagnostics(uri);
      assert.ok(
        ds.some((d) => d.code === 'OBO201' && /dashboards\.genie|genie/.test(String(d.message))),
        JSON.stringify(ds.map((d) => d.message)),
      );
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});

describe('catalog entries from pyproject.toml', () => {
  it('reads [tool.obo] of the workspace folder, and follows edits of the file on disk', async () => {
    const pyproject = (scope: string) => `[project]
name = "demo"

[[tool.obo.consumers]]
callees = ["acme.tools.ask_space"]
clientParam = { keyword = "workspace_client" }
needs = { required = ["${scope}"] }
`;
    const dir = tempWorkspace(undefined, {
      'agent.py': WRAPPER_AGENT,
      'pyproject.toml': pyproject('dashboards.genie'),
    });
    const client = await LspTestClient.start({ folder: dir });
    try {
      await client.ready();
      const uri = uriOf(path.join(dir, 'agent.py'));
      await client.open(uri, WRAPPER_AGENT);
      const ds = await client.diagnostics(uri);
      assert.ok(
        ds.some((d) => d.code === 'OBO201' && /genie/.test(String(d.message))),
        JSON.stringify(ds.map((d) => d.message)),
      );
      // The wrapper now needs what is declared: the finding goes once the watcher reports the change.
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), pyproject('sql.statement-execution'));
      const refreshes = client.refreshes;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(path.join(dir, 'pyproject.toml')), type: 2 }],
      });
      await client.nextRefresh(refreshes);
      const after = await client.diagnostics(uri);
      assert.ok(!after.some((d) => d.code === 'OBO201'), JSON.stringify(after.map((d) => d.message)));
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});

describe('virtual workspace documents', () => {
  it('analyses a vscode-vfs document and answers with its own URI', async () => {
    const client = await LspTestClient.start({});
    try {
      await client.ready();
      const uri = 'vscode-vfs://github/acme/agents/agent.py';
      await client.open(uri, fixtureText('single', 'agent.py'));
      const ds = await client.diagnostics(uri);
      assert.ok(
        ds.some((d) => d.code === 'OBO101'),
        JSON.stringify(ds),
      );
      assert.equal((ds[0].data as { uri: string }).uri, uri);
      const fix = ds.find((d) => d.code === 'OBO203');
      assert.deepEqual(Object.keys((fix?.data as { fixes: { changes: object }[] }).fixes[0].changes), [uri]);
    } finally {
      await client.stop();
    }
  });
});

describe('pull diagnostics over IPC (the transport the VS Code client starts the server with)', () => {
  it('indexes, reports and answers unchanged as over stdio', async () => {
    const dir = tempWorkspace('two-file');
    const client = await LspTestClient.start({ folder: dir, transport: 'ipc' });
    try {
      await client.ready();
      const uri = uriOf(path.join(dir, 'agent.py'));
      await client.open(uri, fs.readFileSync(path.join(dir, 'agent.py'), 'utf8'));
      const first = await client.report(uri);
      assert.equal(first.kind, 'full');
      assert.ok(
        first.kind === 'full' && first.items.some((d) => d.code === 'OBO201'),
        'the cross-file finding',
      );
      const again = await client.report(uri, first.resultId);
      assert.equal(again.kind, 'unchanged');
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});
