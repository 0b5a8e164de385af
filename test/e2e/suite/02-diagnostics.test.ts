// Live diagnostics from the real language server: code (with its documentation link), range, severity and source.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { itFeature } from './features';
import {
  activateExtension,
  codeOf,
  fmtRange,
  hasCode,
  MODE,
  openFile,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

/** Asserts one diagnostic of `code` covering exactly `text` (its `nth` occurrence) with `severity`. */
function expectFinding(
  doc: vscode.TextDocument,
  ds: vscode.Diagnostic[],
  code: string,
  text: string,
  severity: vscode.DiagnosticSeverity,
  nth = 0,
): vscode.Diagnostic {
  const want = rangeOf(doc, text, nth);
  const d = ds.find((x) => codeOf(x) === code && x.range.isEqual(want));
  assert.ok(
    d,
    `${code} at ${fmtRange(want)} ("${text}"); got ${ds.map((x) => `${codeOf(x)}@${fmtRange(x.range)}`).join(', ')}`,
  );
  assert.strictEqual(d.source, 'obo');
  assert.strictEqual(d.severity, severity, `${code} severity`);
  assert.ok(typeof d.code === 'object' && d.code !== null, `${code}: code carries a documentation target`);
  const target = (d.code as { value: string | number; target: vscode.Uri }).target;
  assert.ok(target instanceof vscode.Uri, `${code}: target is a Uri`);
  assert.match(
    target.toString(true),
    new RegExp(`${code}(\\.md)?($|[#?])`),
    `${code}: target ${target.toString(true)}`,
  );
  assert.ok(d.message.length > 20, `${code}: a real message`);
  return d;
}

describe(`diagnostics (${MODE})`, () => {
  before(async () => {
    await activateExtension();
  });

  itFeature(
    'client',
    'agent.py: OBO101 (and no OBO102: one mistake, one finding) on the user client built in __init__, OBO201 on GenieAgent',
    async () => {
      const doc = await openFile('project/agent.py');
      const ds = await waitForDiagnostics(
        doc.uri,
        (x) => hasCode('OBO101')(x) && hasCode('OBO201')(x),
        'OBO101 and OBO201',
        30000,
      );
      const Error = vscode.DiagnosticSeverity.Error;
      const d101 = expectFinding(
        doc,
        ds,
        'OBO101',
        'WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
        Error,
      );
      assert.match(d101.message, /__init__/);
      // Built in __init__ and kept on self is one mistake: OBO101 reports it, OBO102 does not repeat it.
      assert.ok(!hasCode('OBO102')(ds), 'no OBO102 on the client OBO101 reports');
      const d201 = expectFinding(
        doc,
        ds,
        'OBO201',
        'GenieAgent(GENIE_SPACE_ID, genie_agent_name="Sales", client=user_client)',
        Error,
      );
      assert.match(d201.message, /dashboards\.genie/);
      assert.match(d201.message, /driver\.py/);
      assert.strictEqual(ds.length, 2, `exactly two findings, got ${ds.map(codeOf).join(', ')}`);
    },
  );

  itFeature('client', 'driver.py: OBO201 on the api_scopes list that lacks dashboards.genie', async () => {
    const doc = await openFile('project/driver.py');
    const ds = await waitForDiagnostics(doc.uri, hasCode('OBO201'), 'OBO201');
    const d = expectFinding(
      doc,
      ds,
      'OBO201',
      '["serving.serving-endpoints"]',
      vscode.DiagnosticSeverity.Error,
    );
    assert.match(d.message, /dashboards\.genie/);
    assert.strictEqual(ds.length, 1, `only OBO201, got ${ds.map(codeOf).join(', ')}`);
  });

  itFeature(
    'client',
    'Databricks notebook source (the seed notebook): OBO402 hint inside the %%writefile cell',
    async () => {
      const doc = await openFile('seed_notebook/obo_agent_notebook.py');
      assert.strictEqual(doc.languageId, 'python');
      const ds = await waitForDiagnostics(doc.uri, hasCode('OBO402'), 'OBO402');
      const d = expectFinding(
        doc,
        ds,
        'OBO402',
        'ModelServingUserCredentials',
        vscode.DiagnosticSeverity.Hint,
        0,
      );
      assert.ok(
        doc.lineAt(d.range.start.line).text.startsWith('# MAGIC from databricks.sdk.credentials_provider'),
      );
      assert.deepStrictEqual(ds.map(codeOf), ['OBO402'], 'the seed agent is otherwise OBO-correct');
    },
  );
});
