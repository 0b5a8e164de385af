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

  it('is one OBO100 at the list, not an OBO301 per resource, when the declared list is computed', async () => {
    // Issue 9: this used to be an information-level OBO301 on every resource; a list that cannot be read says so once.
    const r = await analyse({ 'agent.py': SYSTEM_AGENT, 'driver.py': driver('load_resources()') });
    none(r, 'OBO301');
    const f = only(r, 'OBO100');
    assertAt(r, f, 'resources=load_resources()');
    assert.match(f.message, /DatabricksServingEndpoint\(`databricks-claude-sonnet-4`\)/);
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

  it('the system use is OBO301, the user use needs its scope, and no system use needs a user scope', async () => {
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': driver('[]') });
    const hits = r.code('OBO301');
    // The PAT client's query runs with its own token, not the agent's passthrough: nothing to declare for it.
    assert.deepEqual(hits.map((f) => f.details?.resource).sort(), ['DatabricksGenieSpace'], summary(r.all));
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

// Issue 9, pattern 5 (part): resource lists built by a helper with a loop or a comprehension over constants are
// read; a truly dynamic list is one OBO100, not an OBO301 on every resource.
describe('resource lists built by helpers', () => {
  const GENIE_AGENT = py`
    import mlflow
    from databricks_langchain import GenieAgent
    from mlflow.pyfunc import ResponsesAgent

    SPACES = ["01f0sales", "01f0ops"]
    agents = [GenieAgent(s) for s in SPACES]

    class Agent(ResponsesAgent):
        def predict(self, request):
            return agents[0].invoke(request)

    mlflow.models.set_model(Agent())
  `;
  const driver = (body: string) => py`
    import mlflow
    from agent import SPACES
    from mlflow.models.resources import DatabricksGenieSpace

    ${body}

    mlflow.pyfunc.log_model(name="agent", python_model="agent.py", resources=build())
  `;

  for (const [name, body] of [
    ['a comprehension', 'def build():\n    return [DatabricksGenieSpace(genie_space_id=s) for s in SPACES]'],
    [
      'a loop',
      'def build():\n    out = []\n    for s in SPACES:\n        out.append(DatabricksGenieSpace(genie_space_id=s))\n    return out',
    ],
  ] as const) {
    it(`${name} over constants declares each space`, async () => {
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver(body) });
      none(r, 'OBO301');
      none(r, 'OBO100');
      // A space missing from the constants is still found, as a warning.
      const fewer = await analyse({
        'agent.py': GENIE_AGENT.replace('"01f0ops"]', '"01f0ops", "01f0hr"]'),
        'driver.py': driver(body).replace('from agent import SPACES', 'SPACES = ["01f0sales", "01f0ops"]'),
      });
      const f = only(fewer, 'OBO301');
      assert.equal(f.severity, 'warning');
      assert.equal(f.details?.name, '01f0hr');
    });
  }

  it('a truly dynamic list: one OBO100 at the list, no OBO301', async () => {
    const body = 'import json\n\ndef build():\n    return json.load(open("resources.json"))';
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver(body) });
    none(r, 'OBO301');
    const f = only(r, 'OBO100');
    assert.match(f.message, /resources .* cannot be resolved statically/);
    assert.match(f.message, /DatabricksGenieSpace\(`01f0sales`\)/);
  });
});

describe('clients with credentials of their own', () => {
  const agent = (client: string) => py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_langchain import GenieAgent
    from mlflow.pyfunc import ResponsesAgent

    class Agent(ResponsesAgent):
        def predict(self, request):
            w = ${client}
            w.serving_endpoints.query("my-endpoint", input=request)
            return GenieAgent("01f0space", client=w).invoke(request)

    mlflow.models.set_model(Agent())
  `;
  const DRIVER = py`
    import mlflow
    from mlflow.models.resources import DatabricksVectorSearchIndex

    mlflow.pyfunc.log_model(name="agent", python_model="agent.py", resources=[DatabricksVectorSearchIndex(index_name="a.b.c")])
  `;

  for (const client of [
    'WorkspaceClient(host="https://example.cloud.databricks.com", token="dapi-not-a-secret")',
    'WorkspaceClient(host="https://example.cloud.databricks.com", client_id="sp-id", client_secret="not-a-secret")',
  ]) {
    it(`need neither a user scope nor a declared resource: ${client.slice(0, 70)}`, async () => {
      const r = await analyse({ 'agent.py': agent(client), 'driver.py': DRIVER });
      none(r, 'OBO301');
      none(r, 'OBO201');
      none(r, 'OBO204');
    });
  }

  it('a helper given a PAT client in one call and None in another still needs the resource for None', async () => {
    const AGENT = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_langchain import GenieAgent
      from mlflow.pyfunc import ResponsesAgent

      def genie(client):
          return GenieAgent("01f0space", client=client)

      class Agent(ResponsesAgent):
          def predict(self, request):
              pat = WorkspaceClient(host="https://example.cloud.databricks.com", token="dapi-not-a-secret")
              return genie(pat).invoke(request), genie(None).invoke(request)

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': DRIVER });
    assert.deepEqual(
      r.code('OBO301').map((f) => f.details?.resource),
      ['DatabricksGenieSpace'],
      summary(r.all),
    );
  });

  it('a client from the default chain still runs with the agent identity: its resources are OBO301', async () => {
    const r = await analyse({ 'agent.py': agent('WorkspaceClient()'), 'driver.py': DRIVER });
    assert.deepEqual(
      r
        .code('OBO301')
        .map((f) => f.details?.resource)
        .sort(),
      ['DatabricksGenieSpace', 'DatabricksServingEndpoint'],
      summary(r.all),
    );
  });
});
