// The language-server commands run for real: Show Required Scopes opens its report, Restart Server comes back with
// the same diagnostics, Show Logs reveals the log channel; and oboAgents.trace.server fills the trace channel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { itFeature } from './features';
import {
  activateExtension,
  codeOf,
  hasCode,
  MODE,
  openFile,
  waitForDiagnostics,
  waitForTab,
  wsUri,
} from './helpers';

describe(`language server commands (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature('client', 'Show Required Scopes opens a report with each scope and why', async () => {
    const doc = await openFile('project/agent.py');
    await waitForDiagnostics(doc.uri, hasCode('OBO201'), 'the index to be ready', 30000);
    await vscode.commands.executeCommand('oboAgents.showRequiredScopes', wsUri('project/agent.py'));
    // shown in the markdown preview (a webview tab); its source is the extension's read-only obo-agents: document
    await waitForTab(/Required Scopes/);
    const report = await vscode.workspace.openTextDocument(
      vscode.Uri.from({ scheme: 'obo-agents', path: '/Required Scopes - project_agent.py.md' }),
    );
    const text = report.getText();
    assert.match(text, /dashboards\.genie/);
    assert.match(text, /serving\.serving-endpoints/);
    assert.match(text, /GenieAgent/, 'says why the scope is needed');
  });

  itFeature(
    'restart-cross-file',
    'Restart Server brings the same diagnostics back',
    async function (this: Mocha.Context) {
      this.timeout(60000);
      const doc = await openFile('project/agent.py');
      const before = await waitForDiagnostics(doc.uri, hasCode('OBO201'), 'OBO201 before the restart', 30000);
      await vscode.commands.executeCommand('oboAgents.restartServer');
      // after a restart the client pulls again; edit to force a fresh pull from the new server and wait for it
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), '\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const after = await waitForDiagnostics(
        doc.uri,
        (ds) => ds.map(codeOf).sort().join() === before.map(codeOf).sort().join(),
        'the same findings from the restarted server',
        30000,
      ).catch((e: Error) => {
        // what the whole workspace shows tells "this file was not re-pulled" from "all diagnostics were dropped"
        const all = vscode.languages
          .getDiagnostics()
          .map(
            ([u, ds]) =>
              `${vscode.workspace.asRelativePath(u)}: ${ds.filter((d) => d.source === 'obo').length}`,
          )
          .join(', ');
        throw new Error(`${e.message}\n  obo diagnostics per file now: ${all}`);
      });
      assert.strictEqual(after.length, before.length);
      await vscode.commands.executeCommand('undo');
      await doc.save();
    },
  );

  itFeature('client', 'Show Logs runs without error', async () => {
    await vscode.commands.executeCommand('oboAgents.showLogs');
  });

  itFeature(
    'client',
    'trace.server verbose fills the trace channel at the default log level, tokens masked, no deploy settings',
    async function (this: Mocha.Context) {
      this.timeout(60000);
      // The channel's file is the only way to read an output channel from a test: VS Code writes it under the
      // run's logs folder, which run.sh keeps next to the result file.
      const result = process.env.OBO_E2E_RESULT;
      if (!result) {
        this.skip();
      }
      const logs = path.join(path.dirname(result as string), 'user', 'logs');
      const token = `dapi${'0123456789abcdef'.repeat(2)}`;
      const config = () => vscode.workspace.getConfiguration('oboAgents');
      const global = vscode.ConfigurationTarget.Global;
      await config().update('deploy.environmentVariables', { OBO_E2E_PROBE: 'not-for-the-server' }, global);
      await config().update('trace.server', 'verbose', global);
      const doc = await openFile('project/agent.py');
      try {
        // A keystroke with a token in it: its didChange and the pull it triggers go through the trace.
        const edit = new vscode.WorkspaceEdit();
        edit.insert(doc.uri, new vscode.Position(0, 0), `# probe ${token}\n`);
        assert.ok(await vscode.workspace.applyEdit(edit));
        const trace = await waitForTrace(
          logs,
          (t) =>
            t.includes('# probe dapi***') &&
            /Received response 'textDocument\/diagnostic/.test(t) &&
            t.includes("Sending response 'workspace/configuration"),
        );
        assert.ok(!trace.includes(token), 'the token typed into agent.py is masked in the trace');
        assert.ok(!trace.includes('OBO_E2E_PROBE'), 'the deploy settings never reach the server');
      } finally {
        await vscode.commands.executeCommand('undo');
        await doc.save();
        await config().update('trace.server', undefined, global);
        await config().update('deploy.environmentVariables', undefined, global);
      }
    },
  );
});

/** The text of every "OBO Agents Trace" channel file under `logs`, once `pred` holds for it (checked until a deadline). */
async function waitForTrace(
  logs: string,
  pred: (text: string) => boolean,
  timeoutMs = 30000,
): Promise<string> {
  const read = () =>
    listFiles(logs, 4)
      .filter((f) => path.basename(f).endsWith('OBO Agents Trace.log'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = read();
    if (pred(text)) {
      return text;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the trace channel did not show the expected messages; it has ${text.length} chars:\n${text.slice(-2000)}`,
      );
    }
    // The extension host writes channel files in batches: nothing to subscribe to, so look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function listFiles(dir: string, depth: number): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) =>
    e.isDirectory()
      ? depth > 0
        ? listFiles(path.join(dir, e.name), depth - 1)
        : []
      : [path.join(dir, e.name)],
  );
}
