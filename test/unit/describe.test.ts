// Hover text and completion context: what a construct needs and whether it is declared, what a scope grants, what to offer.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { listEntries } from '../../server/src/analyser/completion';
import { analyse, positionOf, py } from './helpers';

const AGENT = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain import ChatDatabricks, GenieAgent
  from mlflow.pyfunc import ResponsesAgent

  llm = ChatDatabricks(endpoint="databricks-claude-sonnet-4")

  class Agent(ResponsesAgent):
      def predict(self, request):
          client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          genie = GenieAgent("01f0c0ffee", client=client)
          return client.statement_execution.execute_statement(warehouse_id="w1", statement="select 1"), genie

  mlflow.models.set_model(Agent())
`;

const DRIVER = py`
  import mlflow
  from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

  mlflow.pyfunc.log_model(
      python_model="agent.py",
      auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["genie", "vector-search"])),
  )
`;

describe('hover', () => {
  it('on a construct: what it needs and whether the log site declares it', async () => {
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': DRIVER });
    const genie = r.project.describeAt('/proj/agent.py', positionOf(AGENT, 'GenieAgent("'));
    assert.ok(genie, 'hover on GenieAgent');
    assert.match(genie.markdown, /Runs \*\*on behalf of the user\*\*/);
    assert.match(genie.markdown, /\| `dashboards.genie` \| required \| declared \|/);
    const sql = r.project.describeAt('/proj/agent.py', positionOf(AGENT, 'execute_statement'));
    assert.match(sql?.markdown ?? '', /\| `sql.statement-execution` \| required \| \*\*missing\*\* \|/);
    const llm = r.project.describeAt('/proj/agent.py', positionOf(AGENT, 'ChatDatabricks('));
    assert.match(llm?.markdown ?? '', /\*\*system\*\* credentials/);
    assert.match(llm?.markdown ?? '', /DatabricksServingEndpoint\(`databricks-claude-sonnet-4`\)/);
  });

  it('on a framework object holding tools: whose tools it keeps, not whose credentials it runs with', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from databricks_langchain import VectorSearchRetrieverTool
      from langgraph.prebuilt import ToolNode
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def predict(self, request):
              client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
              user_node = ToolNode(VectorSearchRetrieverTool(index_name="a.b.c", workspace_client=client))
              system_node = ToolNode([VectorSearchRetrieverTool(index_name="a.b.c")])
              return user_node, system_node

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': src });
    const user = r.project.describeAt('/proj/agent.py', positionOf(src, 'ToolNode(V'));
    assert.match(user?.markdown ?? '', /Keeps \*\*user-authorized tools\*\*/);
    const system = r.project.describeAt('/proj/agent.py', positionOf(src, 'ToolNode(['));
    assert.match(system?.markdown ?? '', /Keeps the tools it is given/);
    assert.doesNotMatch(system?.markdown ?? '', /system\*\* credentials/);
  });

  it('on a scope string: what it grants and which code needs it', async () => {
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': DRIVER });
    const genie = r.project.describeAt('/proj/driver.py', positionOf(DRIVER, 'genie"'));
    assert.match(genie?.markdown ?? '', /\*\*`genie`\*\* — Short name of `dashboards.genie`/);
    assert.match(
      genie?.markdown ?? '',
      /Needed by:\n- `GenieAgent\("01f0c0ffee", client=client\)` \(agent.py:12\) in agent.py/,
    );
    const vs = r.project.describeAt('/proj/driver.py', positionOf(DRIVER, 'vector-search'));
    assert.match(vs?.markdown ?? '', /No code in the linked agent needs it/);
  });
});

describe('completion inside api_scopes', () => {
  it('offers the missing scopes and leaves out those already declared, also while a string is open', async () => {
    const typing = DRIVER.replace('["genie", "vector-search"]', '["genie", "sq');
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': typing });
    const at = positionOf(typing, '"sq');
    const c = r.project.completionAt('/proj/driver.py', { line: at.line, character: at.character + 3 });
    assert.ok(c, 'a completion context');
    assert.equal(c.kind, 'scope');
    assert.deepEqual(c.declared, ['genie']);
    assert.deepEqual(c.missing, ['sql']);
    assert.deepEqual(c.replace?.range, {
      start: { line: at.line, character: at.character + 1 },
      end: { line: at.line, character: at.character + 3 },
    });
  });

  it('counts entries after the cursor as declared, but not the one being typed', async () => {
    const typing = DRIVER.replace('["genie", "vector-search"]', '["", "genie", "sql"]');
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': typing });
    const at = positionOf(typing, '["", "genie"');
    const c = r.project.completionAt('/proj/driver.py', { line: at.line, character: at.character + 2 });
    assert.deepEqual(c?.declared, ['genie', 'sql']);
    assert.deepEqual(c?.missing, [], 'sql, declared after the cursor, is not offered as missing');
  });

  it('reads list entries up to the list end and nothing past it', () => {
    const text = 'p = f(["dashboards.genie", "", "sql"])  # "x"\n';
    const open = text.indexOf('[') + 1;
    assert.deepEqual(listEntries(text, open, text.indexOf('""') + 1), ['dashboards.genie', 'sql']);
    const typing = '["dashboards.genie", "mo';
    assert.deepEqual(listEntries(typing, 1, typing.length), ['dashboards.genie']);
    assert.equal(listEntries(text, open, text.length), undefined, 'past the list');
  });

  it('places each resource class import as the fixes do: extending an import of the module', async () => {
    const withResources = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy
      from mlflow.models.resources import DatabricksGenieSpace

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(system_auth_policy=SystemAuthPolicy(resources=[])),
      )
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': withResources });
    const at = positionOf(withResources, 'resources=[]');
    const c = r.project.completionAt('/proj/driver.py', { line: at.line, character: at.character + 11 });
    assert.equal(c?.kind, 'resource');
    assert.equal(c?.imports?.DatabricksGenieSpace, undefined, 'already imported');
    const edit = c?.imports?.DatabricksServingEndpoint;
    assert.equal(edit?.newText, ', DatabricksServingEndpoint');
    const line = withResources.split('\n')[edit?.location.range.start.line ?? -1];
    assert.equal(line.slice(0, edit?.location.range.start.character), line, 'at the end of that import line');
    assert.match(line, /^from mlflow\.models\.resources import/);
  });

  it('gives nothing outside a scope or resource list', async () => {
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': DRIVER });
    assert.equal(r.project.completionAt('/proj/driver.py', positionOf(DRIVER, 'python_model')), undefined);
  });
});
