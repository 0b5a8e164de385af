// Hover and completion answer through the real VS Code provider APIs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import { activateExtension, hasCode, MODE, openFile, positionAfter, rangeOf, waitForDiagnostics } from './helpers';

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe(`hover and completion (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature('client', 'hover on GenieAgent says which scope it needs and that driver.py lacks it', async () => {
    const doc = await openFile('project/agent.py');
    await waitForDiagnostics(doc.uri, hasCode('OBO201'), 'the index to be ready', 30000);
    const at = rangeOf(doc, 'GenieAgent(GENIE_SPACE_ID').start.translate(0, 3);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    assert.match(text, /dashboards\.genie/, `hover:\n${text}`);
  });

  itFeature('client', 'hover on a scope string says what it grants', async () => {
    const doc = await openFile('project/driver.py');
    const at = rangeOf(doc, 'serving.serving-endpoints').start.translate(0, 4);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    assert.match(text, /serving\.serving-endpoints/, `hover:\n${text}`);
    assert.ok(text.length > 40, `a real explanation:\n${text}`);
  });

  itFeature('client', 'completion inside api_scopes offers the missing dashboards.genie first', async () => {
    const doc = await openFile('project/driver.py');
    const original = doc.getText();
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, positionAfter(doc, '"serving.serving-endpoints"'), ', ""');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const inside = positionAfter(doc, '"serving.serving-endpoints", "');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        inside,
      );
      const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('dashboards.genie'), `completion offers dashboards.genie; got ${labels.slice(0, 10).join(', ')}`);
      const sorted = [...(list?.items ?? [])].sort((a, b) =>
        (a.sortText ?? String(a.label)).localeCompare(b.sortText ?? String(b.label)),
      );
      const first = sorted[0];
      assert.strictEqual(typeof first.label === 'string' ? first.label : first.label.label, 'dashboards.genie');
      assert.ok(!labels.includes('serving.serving-endpoints'), 'already declared scopes are not offered again');
    } finally {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
  });
});
