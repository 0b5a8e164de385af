// LSP tests: every kind of quick fix, applied through the editor path and re-analysed, leaves no such finding and valid Python.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import {
  applyEdits,
  editsByUri,
  fixtureText,
  parsesCleanly,
  removeWorkspace,
  tempWorkspace,
} from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

/** Fixture, rule, and the text the fixed file must contain. */
const CASES: [string, string, RegExp][] = [
  [
    'obo204.py',
    'OBO204',
    /auth_policy=AuthPolicy\(user_auth_policy=UserAuthPolicy\(api_scopes=\["dashboards\.genie"\]\)\)/,
  ],
  ['obo205.py', 'OBO205', /SystemAuthPolicy\(resources=\[DatabricksServingEndpoint/],
  ['obo301.py', 'OBO301', /DatabricksServingEndpoint\(endpoint_name="databricks-claude-sonnet-4"\)/],
  ['obo401.py', 'OBO401', /WorkspaceClient\(credentials_strategy=ModelServingUserCredentials\(\)\)/],
  // A user credential where a client goes: the fix builds the client around it and imports it (issue 9).
  [
    'obo401-chat.py',
    'OBO401',
    /from databricks\.sdk import WorkspaceClient\n[\s\S]*workspace_client=WorkspaceClient\(credentials_strategy=ModelServingUserCredentials\(\)\)\)/,
  ],
  ['obo402.py', 'OBO402', /from databricks_ai_bridge import ModelServingUserCredentials/],
  // A wrong class name: the fix renames the import and its uses (issue 9).
  [
    'obo403.py',
    'OBO403',
    /import DatabricksServingEndpoint, DatabricksFunction\n[\s\S]*\n {8}DatabricksFunction\(function_name=/,
  ],
  ['obo101.py', 'OBO101', /def predict\(self, request\):\n\s+client = WorkspaceClient\(credentials_strategy/],
];

describe('every quick fix through LSP', () => {
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    dir = tempWorkspace('fixes');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  for (const [file, code, expected] of CASES) {
    it(`${code}: the first fix removes the finding and keeps the file valid`, async () => {
      const uri = uriOf(path.join(dir, file));
      let text = fixtureText('fixes', file);
      await client.open(uri, text);
      const finding = (await client.diagnostics(uri)).find((d) => d.code === code);
      assert.ok(finding, `${file} has ${code}`);
      const [fix] = (await client.codeActions(uri, finding.range, [finding])) as CodeAction[];
      assert.ok(fix.edit && !fix.title.startsWith('Ignore'), `${code} has a fix (${fix.title})`);
      const edits = editsByUri(fix.edit);
      assert.deepEqual([...edits.keys()], [uri], 'the fix edits this file only');
      text = applyEdits(text, edits.get(uri) ?? []);
      assert.match(text, expected);
      assert.ok(await parsesCleanly(text), text);
      await client.change(uri, 2, [{ text }]);
      const after = await client.diagnostics(uri);
      assert.deepEqual(
        after.filter((d) => d.code === code).map((d) => d.message),
        [],
      );
      await client.close(uri);
    });
  }
});
