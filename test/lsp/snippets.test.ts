// Tests for snippets/python.json: skeletons analyse clean through the server, fragments parse and use the right keywords.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsesCleanly, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, ROOT, uriOf } from './lspTestClient';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const SNIPPETS = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'python.json'), 'utf8')) as Record<
  string,
  Snippet
>;

/** The text a user gets by accepting every default: first choice, placeholder defaults, empty tab stops. */
function expand(body: readonly string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

const byPrefix = (prefix: string) => {
  const s = Object.values(SNIPPETS).find((x) => x.prefix === prefix);
  assert.ok(s, `snippet ${prefix}`);
  return expand(s.body);
};

const FRAGMENT_HOST = (fragment: string) => `import mlflow
from databricks.sdk import WorkspaceClient
from databricks.sdk.service.serving import ChatMessage, ChatMessageRole, ExternalFunctionRequestHttpMethod
from databricks.vector_search.client import VectorSearchClient
from databricks.vector_search.utils import CredentialStrategy
from databricks_ai_bridge import ModelServingUserCredentials
from databricks_langchain import VectorSearchRetrieverTool
from databricks_langchain.genie import GenieAgent
from databricks_mcp import DatabricksMCPClient
from mlflow.pyfunc import ResponsesAgent


class HostAgent(ResponsesAgent):
    def predict(self, request):
        question = str(request)
        user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
${fragment
  .trimEnd()
  .split('\n')
  .map((l) => (l ? `        ${l}` : l))
  .join('\n')}
        return question


mlflow.models.set_model(HostAgent())
`;

describe('snippets/python.json', () => {
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    dir = tempWorkspace();
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('has an obo- prefix and a description for every snippet', () => {
    for (const [name, s] of Object.entries(SNIPPETS)) {
      assert.match(s.prefix, /^obo-[a-z-]+$/, name);
      assert.ok(s.description.length > 20, name);
    }
  });

  for (const agent of ['obo-responses-agent', 'obo-chat-agent']) {
    it(`${agent} plus obo-log-model analyse clean and in sync`, async () => {
      const agentText = byPrefix(agent);
      const driverText = byPrefix('obo-log-model');
      assert.ok(await parsesCleanly(agentText));
      assert.ok(await parsesCleanly(driverText));
      const sub = fs.mkdtempSync(path.join(dir, 'proj-'));
      const agentUri = uriOf(path.join(sub, 'agent.py'));
      const driverUri = uriOf(path.join(sub, 'driver.py'));
      await client.open(agentUri, agentText);
      await client.open(driverUri, driverText);
      assert.deepEqual(await client.diagnostics(agentUri), []);
      assert.deepEqual(await client.diagnostics(driverUri), []);
      const [lens] = await client.codeLenses(driverUri);
      assert.equal(lens.command?.title, 'agent.py needs: serving.serving-endpoints — in sync');
      await client.close(agentUri);
      await client.close(driverUri);
    });
  }

  const fragments = Object.values(SNIPPETS).filter(
    (s) => !/^obo-(responses-agent|chat-agent|log-model|imports)$/.test(s.prefix),
  );
  for (const s of fragments) {
    it(`${s.prefix} parses inside predict with no lifecycle or keyword finding`, async () => {
      const text = FRAGMENT_HOST(expand(s.body));
      assert.ok(await parsesCleanly(text), text);
      const uri = uriOf(path.join(dir, `${s.prefix}.py`));
      await client.open(uri, text);
      const codes = (await client.diagnostics(uri)).map((d) => d.code);
      for (const bad of ['OBO101', 'OBO102', 'OBO401', 'OBO403']) {
        assert.ok(!codes.includes(bad), `${s.prefix}: ${codes.join(', ')}`);
      }
      await client.close(uri);
    });
  }
});
