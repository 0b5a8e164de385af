// The language-server commands run for real: Show Required Scopes opens its report, Restart Server comes back with
// the same diagnostics, Show Logs reveals the log channel.
import * as assert from 'assert';
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
});
