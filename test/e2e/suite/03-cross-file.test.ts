// Editing the scopes in the logging script (driver.py) changes the agent file's (agent.py) diagnostics, live.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import {
  activateExtension,
  codeOf,
  hasCode,
  lacksCode,
  MODE,
  openFile,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

describe(`cross-file analysis (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature(
    'client',
    'adding then removing dashboards.genie in driver.py clears then restores OBO201 in agent.py',
    async () => {
      const agent = await openFile('project/agent.py');
      await waitForDiagnostics(agent.uri, hasCode('OBO201'), 'OBO201 before the edit', 30000);
      const driver = await openFile('project/driver.py');
      const original = driver.getText();
      const list = '["serving.serving-endpoints"]';
      try {
        // typed, not saved: the server follows the open document
        let edit = new vscode.WorkspaceEdit();
        edit.replace(driver.uri, rangeOf(driver, list), '["serving.serving-endpoints", "dashboards.genie"]');
        assert.ok(await vscode.workspace.applyEdit(edit));
        const after = await waitForDiagnostics(
          agent.uri,
          lacksCode('OBO201'),
          'OBO201 to disappear after adding the scope',
        );
        assert.deepStrictEqual(after.map(codeOf).sort(), ['OBO101'], 'the init-time findings stay');
        await waitForDiagnostics(driver.uri, (ds) => ds.length === 0, 'driver.py to be clean');

        edit = new vscode.WorkspaceEdit();
        edit.replace(driver.uri, new vscode.Range(0, 0, driver.lineCount, 0), original);
        assert.ok(await vscode.workspace.applyEdit(edit));
        await waitForDiagnostics(
          agent.uri,
          hasCode('OBO201'),
          'OBO201 to come back after removing the scope',
        );
      } finally {
        if (driver.getText() !== original) {
          const edit = new vscode.WorkspaceEdit();
          edit.replace(driver.uri, new vscode.Range(0, 0, driver.lineCount, 0), original);
          await vscode.workspace.applyEdit(edit);
        }
        await driver.save();
      }
    },
  );
});
