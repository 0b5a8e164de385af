// The OBO201 quick fix: offered as preferred (in driver.py and, cross-file, from agent.py); applying it leaves the
// logging script clean and clears OBO201 in the agent file.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import { activateExtension, codeOf, hasCode, lacksCode, MODE, openFile, waitForDiagnostics } from './helpers';

async function fixesFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    d.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  // The API command returns the actions for the diagnostic's range (without their `diagnostics`); Commands have a string `command`.
  return (all ?? []).filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

describe(`quick fixes (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature('client', 'agent.py: OBO201 offers a preferred fix that edits driver.py', async () => {
    const agent = await openFile('project/agent.py');
    const ds = await waitForDiagnostics(agent.uri, hasCode('OBO201'), 'OBO201', 30000);
    const d = ds.find((x) => codeOf(x) === 'OBO201')!;
    const preferred = (await fixesFor(agent, d)).filter((a) => a.isPreferred);
    assert.strictEqual(preferred.length, 1, 'one preferred fix');
    assert.match(preferred[0].title, /dashboards\.genie/);
    const files = preferred[0].edit?.entries().map(([u]) => vscode.workspace.asRelativePath(u)) ?? [];
    assert.deepStrictEqual(files, ['project/driver.py']);
  });

  itFeature(
    'client',
    "driver.py: the preferred OBO201 fix adds dashboards.genie in the author's style and leaves the file clean",
    async () => {
      const driver = await openFile('project/driver.py');
      const agent = await vscode.workspace.openTextDocument(
        vscode.Uri.joinPath(driver.uri, '..', 'agent.py'),
      );
      const original = driver.getText();
      try {
        const ds = await waitForDiagnostics(driver.uri, hasCode('OBO201'), 'OBO201', 30000);
        const d = ds.find((x) => codeOf(x) === 'OBO201')!;
        const actions = await fixesFor(driver, d);
        const titles = actions.map((a) => `${a.isPreferred ? '*' : ' '} ${a.title}`);
        const preferred = actions.filter((a) => a.isPreferred);
        assert.strictEqual(preferred.length, 1, `one preferred fix among:\n${titles.join('\n')}`);
        assert.strictEqual(actions[0], preferred[0], `the preferred fix comes first:\n${titles.join('\n')}`);
        assert.ok(
          actions.some((a) => /ignore|disable/i.test(a.title) && /OBO201/.test(a.title)),
          'an "ignore OBO201" action',
        );
        const fix = preferred[0];
        assert.ok(fix.edit, 'the fix carries its edit');
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        if (fix.command) {
          await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
        }
        assert.match(driver.getText(), /api_scopes=\["serving\.serving-endpoints", "dashboards\.genie"\]/);
        await driver.save();
        await waitForDiagnostics(driver.uri, (x) => x.length === 0, 'driver.py to be clean after the fix');
        const left = await waitForDiagnostics(agent.uri, lacksCode('OBO201'), 'OBO201 to leave agent.py');
        assert.deepStrictEqual(left.map(codeOf).sort(), ['OBO101']);
      } finally {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(driver.uri, new vscode.Range(0, 0, driver.lineCount, 0), original);
        await vscode.workspace.applyEdit(edit);
        await driver.save();
      }
      await waitForDiagnostics(agent.uri, hasCode('OBO201'), 'OBO201 back after restoring driver.py');
    },
  );
});
