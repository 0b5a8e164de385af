// Hover and completion answer through the real VS Code provider APIs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import {
  activateExtension,
  hasCode,
  MODE,
  openFile,
  positionAfter,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);

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

  itFeature(
    'client',
    'hover on GenieAgent says which scope it needs and that driver.py lacks it',
    async () => {
      const doc = await openFile('project/agent.py');
      await waitForDiagnostics(doc.uri, hasCode('OBO201'), 'the index to be ready', 30000);
      const at = rangeOf(doc, 'GenieAgent(GENIE_SPACE_ID').start.translate(0, 3);
      const text = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
      );
      assert.match(text, /dashboards\.genie/, `hover:\n${text}`);
    },
  );

  itFeature('client', 'hover on a scope string says what it grants', async () => {
    const doc = await openFile('project/driver.py');
    const at = rangeOf(doc, 'serving.serving-endpoints').start.translate(0, 4);
    const text = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
    );
    assert.match(text, /serving\.serving-endpoints/, `hover:\n${text}`);
    assert.ok(text.length > 40, `a real explanation:\n${text}`);
  });

  /** Types `, ""` after the declared scope in driver.py and asks for completions inside the new quotes. */
  async function scopeCompletions(): Promise<vscode.CompletionItem[]> {
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
      return [...(list?.items ?? [])].sort((a, b) =>
        (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)),
      );
    } finally {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    }
  }

  itFeature('client', 'completion inside api_scopes offers the missing dashboards.genie first', async () => {
    const items = await scopeCompletions();
    const labels = items.map(labelOf);
    assert.ok(
      labels.includes('dashboards.genie'),
      `completion offers dashboards.genie; got ${labels.slice(0, 10).join(', ')}`,
    );
    assert.strictEqual(labels[0], 'dashboards.genie', `first of ${labels.slice(0, 5).join(', ')}`);
    assert.ok(labels.includes('vectorsearch.vector-search-indexes'), 'the other known scopes follow');
  });

  itFeature(
    'completion-declared',
    'completion inside api_scopes does not offer an already declared scope again',
    async () => {
      const labels = (await scopeCompletions()).map(labelOf);
      assert.ok(
        !labels.includes('serving.serving-endpoints'),
        'serving.serving-endpoints is already in the list',
      );
    },
  );
});
