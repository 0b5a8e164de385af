// Jupyter notebooks: the %%writefile cell is an agent file, and its logging cell's api_scopes are checked against it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import { activateExtension, codeOf, fmtRange, hasCode, MODE, wsUri, waitForDiagnostics } from './helpers';

describe(`Jupyter notebooks (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature('client', '.ipynb: OBO202 warning on the unused scope in the logging cell', async () => {
    // opened the way a user opens it (vscode.open shows the notebook editor before the document syncs; opening the
    // document first, in the background, gets no pull diagnostics until its first edit: vscode-languageclient only
    // pulls for cells of notebooks visible in a tab)
    const uri = wsUri('ipynb_agent/docs_agent.ipynb');
    await vscode.commands.executeCommand('vscode.open', uri);
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
    assert.ok(nb, 'the notebook is open');
    assert.strictEqual(nb.notebookType, 'jupyter-notebook');
    const writefile = nb.cellAt(2);
    assert.ok(writefile.document.getText().startsWith('%%writefile docs_agent.py'));
    assert.strictEqual(writefile.document.languageId, 'python');
    const logging = nb.cellAt(4);
    const ds = await waitForDiagnostics(
      logging.document.uri,
      hasCode('OBO202'),
      'OBO202 in the logging cell',
      25000,
    );
    const d = ds.find((x) => codeOf(x) === 'OBO202')!;
    const text = logging.document.getText(d.range);
    assert.strictEqual(text, '"sql.statement-execution"', `range ${fmtRange(d.range)} covers ${text}`);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.source, 'obo');
    assert.ok(d.tags?.includes(vscode.DiagnosticTag.Unnecessary), 'an unused scope is rendered faded');
    assert.strictEqual(ds.length, 1, `only OBO202, got ${ds.map(codeOf).join(', ')}`);
    assert.strictEqual(
      vscode.languages.getDiagnostics(writefile.document.uri).filter((x) => x.source === 'obo').length,
      0,
    );
  });
});
