// OBO301: resources used with system auth must be declared in SystemAuthPolicy(resources=...) or resources=.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py, summary } from '../helpers';

/** A system-auth agent: a chat model and a Genie space, both with the agent's own credentials. */
const SYSTEM_AGENT = py`
  import mlflow
  from databricks_langchain import ChatDatabricks, GenieAgent
  from mlflow.pyfunc import ResponsesAgent

  PREFIX = "databricks"
  LLM_ENDPOINT_NAME = f"{PREFIX}-claude-sonnet-4"
  llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)

  class Agent(ResponsesAgent):
      def predict(self, request):
          return llm.invoke(request)

  mlflow.models.set_model(Agent())
`;

function driver(resources: string): string {
  return py`
    import mlflow
    from agent import LLM_ENDPOINT_NAME
    from mlflow.models.resources import DatabricksServingEndpoint, DatabricksGenieSpace

    mlflow.pyfunc.log_model(name="agent", python_model="agent.py", resources=${resources})
  `;
}

describe('OBO301 system-auth resource not declared', () => {
  it('warns at the construct when its resource is missing, naming the resource and the log file', async () => {
    const r = await analyse({ 'agent.py': SYSTEM_AGENT, 'driver.py': driver('[]') });
    const f = only(r, 'OBO301');
    assert.equal(f.severity, 'warning');
    assertAt(r, f, 'ChatDatabricks(endpoint=');
    assert.match(f.message, /DatabricksServingEndpoint\(`databricks-claude-sonnet-4`\) is not declared/);
    assert.match(f.message, /driver.py/);
    assert.deepEqual(f.details, {
      resource: 'DatabricksServingEndpoint',
      name: 'databricks-claude-sonnet-4',
      logSite: '/proj/driver.py',
    });
    assert.match(
      f.fixes?.[0].title ?? '',
      /Declare DatabricksServingEndpoint\(endpoint_name=`databricks-claude-sonnet-4`\) in driver.py/,
    );
  });

  it('is satisfied by a constant imported from the agent module (from agent import LLM_ENDPOINT_NAME)', async () => {
    const r = await analyse({
      'agent.py': SYSTEM_AGENT,
      'driver.py': driver('[DatabricksServingEndpoint(endpoint_name=LLM_ENDPOINT_NAME)]'),
    });
    none(r, 'OBO301');
  });

  it('compares names: another endpoint does not count', async () => {
    const r = await analyse({
      'agent.py': SYSTEM_AGENT,
      'driver.py': driver('[DatabricksServingEndpoint(endpoint_name="databricks-llama")]'),
    });
    only(r, 'OBO301');
  });

  it('reads resources from SystemAuthPolicy held in variables', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy
      from mlflow.models.resources import DatabricksServingEndpoint

      resources = [DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")]
      system_policy = SystemAuthPolicy(resources=resources)
      mlflow.pyfunc.log_model(python_model="agent.py", auth_policy=AuthPolicy(system_auth_policy=system_policy))
    `;
    none(await analyse({ 'agent.py': SYSTEM_AGENT, 'driver.py': d }), 'OBO301');
  });

  it('asks for a Genie space and a UC connection used with system auth', async () => {
    const a = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_langchain import GenieAgent
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def predict(self, request):
              genie = GenieAgent(genie_space_id="01f0space")
              w = WorkspaceClient()
              w.serving_endpoints.http_request(conn="github", method="GET", path="/user")
              return genie.invoke(request)

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    const hits = r.code('OBO301');
    assert.deepEqual(
      hits.map((f) => `${f.details?.resource}:${f.details?.name}`),
      ['DatabricksGenieSpace:01f0space', 'DatabricksUCConnection:github'],
      summary(r.all),
    );
  });

  it('asks for one DatabricksFunction per name given to UCFunctionToolkit', async () => {
    const a = py`
      import mlflow
      from databricks_langchain import UCFunctionToolkit
      from mlflow.pyfunc import ResponsesAgent

      tools = UCFunctionToolkit(function_names=["main.tools.lookup", "main.tools.search"]).tools

      class Agent(ResponsesAgent):
          def predict(self, request):
              return tools

      mlflow.models.set_model(Agent())
    `;
    const d = py`
      import mlflow
      from mlflow.models.resources import DatabricksFunction
      mlflow.pyfunc.log_model(python_model="agent.py", resources=[DatabricksFunction(function_name="main.tools.lookup")])
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': d });
    assert.deepEqual(only(r, 'OBO301').details?.name, 'main.tools.search');
  });

  it('maps MCP URLs used with system auth to their resources', async () => {
    const a = py`
      import mlflow
      from databricks_mcp import DatabricksMCPClient
      from mlflow.pyfunc import ResponsesAgent

      HOST = "https://example.cloud.databricks.com"

      class Agent(ResponsesAgent):
          def predict(self, request):
              genie = DatabricksMCPClient(server_url=f"{HOST}/api/2.0/mcp/genie/01f0space")
              ext = DatabricksMCPClient(server_url=f"{HOST}/api/2.0/mcp/external/github")
              return genie.list_tools() + ext.list_tools()

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    assert.deepEqual(
      r.code('OBO301').map((f) => `${f.details?.resource}:${f.details?.name}`),
      ['DatabricksGenieSpace:01f0space', 'DatabricksUCConnection:github'],
    );
  });

  it('is silent for resources used through a user-authorized client', async () => {
    const a = SYSTEM_AGENT.replace(
      'from databricks_langchain import ChatDatabricks, GenieAgent',
      'from databricks.sdk import WorkspaceClient\nfrom databricks_ai_bridge import ModelServingUserCredentials\nfrom databricks_langchain import ChatDatabricks, GenieAgent',
    ).replace(
      'return llm.invoke(request)',
      'g = GenieAgent("01f0", client=WorkspaceClient(credentials_strategy=ModelServingUserCredentials()))\n        return g.invoke(request)',
    );
    const r = await analyse({
      'agent.py': a,
      'driver.py': driver('[DatabricksServingEndpoint(endpoint_name=LLM_ENDPOINT_NAME)]'),
    });
    none(r, 'OBO301');
  });

  it('is information, not a warning, when the declared list is computed', async () => {
    const r = await analyse({ 'agent.py': SYSTEM_AGENT, 'driver.py': driver('load_resources()') });
    const f = only(r, 'OBO301');
    assert.equal(f.severity, 'information');
    assert.equal(f.fixes, undefined, 'nothing mechanical to edit in a computed list');
  });

  it('counts a declaration whose name is computed as covering the resource (no guessing)', async () => {
    const d = driver('[DatabricksServingEndpoint(endpoint_name=n) for n in names]');
    none(await analyse({ 'agent.py': SYSTEM_AGENT, 'driver.py': d }), 'OBO301');
  });

  it('is suppressed by # obo: ignore[OBO301]', async () => {
    const a = SYSTEM_AGENT.replace(
      'llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)',
      '$&  # obo: ignore[OBO301]',
    );
    none(await analyse({ 'agent.py': a, 'driver.py': driver('[]') }), 'OBO301');
  });
});

// Issue 9, pattern 6: a client that is not OBO is not OBO. One helper given a user client in one place and a system
// client (`WorkspaceClient()`, `WorkspaceClient(host=..., token=...)`) in another needs a scope for the first and a
// resource for the second.
describe('user and system clients through one helper', () => {
  const AGENT = py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from databricks_langchain import GenieAgent
    from mlflow.pyfunc import ResponsesAgent

    def genie(client):
        return GenieAgent("01f0space", client=client)

    def ask(w, q):
        return w.serving_endpoints.query("my-endpoint", input=q)

    class Agent(ResponsesAgent):
        def predict(self, request):
            user = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            pat = WorkspaceClient(host="https://example.cloud.databricks.com", token="dapi-not-a-secret")
            ask(pat, request)
            return genie(user).invoke(request), genie(WorkspaceClient())

    mlflow.models.set_model(Agent())
  `;
  const driver = (resources: string) => py`
    import mlflow
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksGenieSpace, DatabricksServingEndpoint

    mlflow.pyfunc.log_model(
        name="agent",
        python_model="agent.py",
        auth_policy=AuthPolicy(
            user_auth_policy=UserAuthPolicy(api_scopes=["dashboards.genie"]),
            system_auth_policy=SystemAuthPolicy(resources=${resources}),
        ),
    )
  `;

  it('the system uses are OBO301, the user use needs its scope, and no system use needs a user scope', async () => {
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': driver('[]') });
    const hits = r.code('OBO301');
    assert.deepEqual(
      hits.map((f) => f.details?.resource).sort(),
      ['DatabricksGenieSpace', 'DatabricksServingEndpoint'],
      summary(r.all),
    );
    assertAt(
      r,
      hits.find((f) => f.details?.resource === 'DatabricksGenieSpace')!,
      'GenieAgent("01f0space"',
    );
    none(r, 'OBO201');
    none(r, 'OBO202');
  });

  it('is silent when the system resources are declared', async () => {
    const r = await analyse({
      'agent.py': AGENT,
      'driver.py': driver(
        '[DatabricksGenieSpace(genie_space_id="01f0space"), DatabricksServingEndpoint(endpoint_name="my-endpoint")]',
      ),
    });
    assert.deepEqual(r.all, [], summary(r.all));
  });
});
