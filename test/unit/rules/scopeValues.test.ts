// Scopes and MCP URLs read through helpers, **kwargs, and the flow of locals: what the scope rules see of values.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py, summary } from '../helpers';
import { GENIE_AGENT, driver, userAgent } from './scopesFixtures';

describe('MCP URLs built by helpers', () => {
  const HELPERS = py`
    def external_url(name):
        host = WorkspaceClient().config.host
        return f"{host}/api/2.0/mcp/external/{name}"

    def genie_url(w, space):
        return w.config.host + "/api/2.0/mcp/genie/" + space
  `;
  const mcpAgent = (body: string) =>
    userAgent(body, `from databricks_mcp import DatabricksMCPClient\n${HELPERS}`);

  for (const [name, call, scope] of [
    ['an f-string returned by a helper', 'external_url("github")', 'mcp.external'],
    ['a concatenation on the client host', 'genie_url(w, "01f0abc")', 'mcp.genie'],
  ] as const) {
    it(`${name} is a known path: its scope is checked, no OBO100`, async () => {
      const a = mcpAgent(
        `mcp = DatabricksMCPClient(server_url=${call}, workspace_client=w)\nreturn mcp.list_tools()`,
      );
      const r = await analyse({ 'agent.py': a, 'driver.py': driver('["genie"]') });
      none(r, 'OBO100');
      assert.deepEqual(only(r, 'OBO201', 'driver.py').details?.missing, [scope]);
      const ok = await analyse({ 'agent.py': a, 'driver.py': driver(`["${scope}"]`) });
      assert.deepEqual(ok.all, [], summary(ok.all));
    });
  }

  it('an unrecognised managed path: a precise OBO100 naming the managed forms', async () => {
    const a = mcpAgent(
      'mcp = DatabricksMCPClient(server_url=f"{w.config.host}/api/2.0/mcp/functions/main", workspace_client=w)\nreturn mcp.list_tools()',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('["mcp.functions"]') });
    const f = only(r, 'OBO100');
    assertAt(r, f, 'DatabricksMCPClient(server_url');
    assert.match(f.message, /`\/api\/2\.0\/mcp\/functions\/main` is not a managed MCP server path/);
    assert.match(f.message, /`\/api\/2\.0\/mcp\/functions\/\{catalog\}\/\{schema\}\[\/\{function\}\]`/);
    assert.doesNotMatch(f.message, /cannot be resolved/);
  });
});

// Issue 9, pattern 5: log_model(**kwargs). The dict splatted into log_model is followed (a literal, `dict(...)`,
// keys added later by subscript assignment, values from helpers), and python_model may be an agent instance.
describe('log_model(**kwargs)', () => {
  const POLICY = py`
    AuthPolicy(
        system_auth_policy=SystemAuthPolicy(resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")]),
        user_auth_policy=UserAuthPolicy(api_scopes=SCOPES),
    )
  `;
  const kwDriver = (scopes: string, body: string) => py`
    import mlflow
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksServingEndpoint

    SCOPES = ${scopes}
    ${body}
  `;
  const forms: [string, string][] = [
    [
      'a dict literal',
      `kwargs = {"name": "agent", "python_model": "agent.py", "auth_policy": ${POLICY.trim().replace(/\n\s*/g, ' ')}}\nmlflow.pyfunc.log_model(**kwargs)`,
    ],
    [
      'dict(...)',
      `kwargs = dict(name="agent", python_model="agent.py", auth_policy=${POLICY.trim().replace(/\n\s*/g, ' ')})\nmlflow.pyfunc.log_model(**kwargs)`,
    ],
    [
      'keys added by subscript assignment, the policy from a helper',
      py`
        def get_auth_policy():
            user = UserAuthPolicy(api_scopes=SCOPES)
            system = SystemAuthPolicy(resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")])
            return AuthPolicy(user_auth_policy=user, system_auth_policy=system)

        def log():
            kw = {"name": "agent"}
            kw["python_model"] = "agent.py"
            policy = get_auth_policy()
            if policy is not None:
                kw["auth_policy"] = policy
            return mlflow.pyfunc.log_model(**kw)
      `,
    ],
  ];
  for (const [name, body] of forms) {
    it(`${name}: the scopes are checked against the agent`, async () => {
      const wrong = await analyse({
        'agent.py': GENIE_AGENT,
        'driver.py': kwDriver('["serving.serving-endpoints"]', body),
      });
      assert.deepEqual(
        only(wrong, 'OBO201', 'driver.py').details?.missing,
        ['dashboards.genie'],
        summary(wrong.all),
      );
      assert.equal(only(wrong, 'OBO202', 'driver.py').details?.scope, 'serving.serving-endpoints');
      none(wrong, 'OBO100');
      const right = await analyse({
        'agent.py': GENIE_AGENT,
        'driver.py': kwDriver('["dashboards.genie"]', body),
      });
      assert.deepEqual(right.all, [], summary(right.all));
    });
  }

  /** An agent class and its logging function in one file, logged as an instance through a kwargs dict. */
  const inFile = (scopes: string, branches: string) => py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksGenieSpace
    from mlflow.pyfunc import ResponsesAgent

    class HealthAgent(ResponsesAgent):
        def predict(self, request):
            client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            return client.genie.start_conversation_and_wait("01f0space", "hi")

    def get_auth_policy():
        try:
            return AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=${scopes}))
        except ImportError:
            return None

    def log_agent():
        agent = HealthAgent()
        auth_policy = get_auth_policy()
        resources = [DatabricksGenieSpace(genie_space_id="01f0space")]
        kwargs = {"artifact_path": "agent", "python_model": agent}
    ${branches.replace(/^/gm, '    ')}
        return mlflow.pyfunc.log_model(**kwargs)
  `;
  const EXCLUSIVE = py`
    if auth_policy is not None:
        kwargs["auth_policy"] = auth_policy
    elif resources:
        kwargs["resources"] = resources
  `;

  it('python_model=<an agent instance> links the log site to the agent class', async () => {
    const extra = await analyse({
      'log.py': inFile('["dashboards.genie", "serving.serving-endpoints"]', EXCLUSIVE),
    });
    const f = only(extra, 'OBO202');
    assert.equal(f.details?.scope, 'serving.serving-endpoints');
    none(extra, 'OBO100');
    // auth_policy and resources are set in exclusive branches: not both (no OBO205), and auth_policy is there (no OBO204).
    none(extra, 'OBO205');
    none(extra, 'OBO204');
    const right = await analyse({ 'log.py': inFile('["dashboards.genie"]', EXCLUSIVE) });
    assert.deepEqual(right.all, [], summary(right.all));
  });

  it('both resources and auth_policy set unconditionally in the dict: OBO205', async () => {
    const both = 'kwargs["auth_policy"] = auth_policy\nkwargs["resources"] = resources';
    const r = await analyse({ 'log.py': inFile('["dashboards.genie"]', both) });
    only(r, 'OBO205');
  });

  it('an agent class imported from another module, logged as an instance', async () => {
    const agent = py`
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class GenieAgentImpl(ResponsesAgent):
          def predict(self, request):
              w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
              return w.genie.start_conversation_and_wait("01f0space", "hi")
    `;
    const log = (scopes: string) => py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
      from my_agent import GenieAgentImpl

      agent = GenieAgentImpl()
      kw = dict(name="agent", python_model=agent)
      kw["auth_policy"] = AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=${scopes}))
      mlflow.pyfunc.log_model(**kw)
    `;
    const wrong = await analyse({ 'my_agent.py': agent, 'log.py': log('["sql"]') });
    assert.deepEqual(only(wrong, 'OBO201', 'log.py').details?.missing, ['dashboards.genie']);
    const right = await analyse({ 'my_agent.py': agent, 'log.py': log('["genie"]') });
    assert.deepEqual(right.all, [], summary(right.all));
  });

  it('a dict it cannot read (built elsewhere) stays an OBO100, never an error', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': 'import json\nimport mlflow\n\nmlflow.pyfunc.log_model(**json.load(open("kw.json")))\n',
    });
    assert.deepEqual(
      r.all.map((f) => f.code),
      ['OBO100'],
      summary(r.all),
    );
  });
});

// Issue 9, pattern 5 (scopes): api_scopes built by a helper with a loop or a comprehension over constants are read
// value by value; a list that cannot be read at all is one OBO100, not a finding per needed scope.
describe('api_scopes built by helpers', () => {
  const helperDriver = (helper: string) =>
    driver('build_scopes()').replace('with mlflow.start_run():', `${helper}\n\nwith mlflow.start_run():`);
  for (const [name, helper] of [
    [
      'a comprehension',
      'BASE = ["serving.serving-endpoints", "dashboards.genie"]\n\ndef build_scopes():\n    return [s for s in BASE]',
    ],
    [
      'a loop',
      'BASE = ["serving.serving-endpoints", "dashboards.genie"]\n\ndef build_scopes():\n    out = []\n    for s in BASE:\n        out.append(s)\n    return out',
    ],
  ] as const) {
    it(`${name} over constants declares each value`, async () => {
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': helperDriver(helper) });
      none(r, 'OBO201');
      none(r, 'OBO100');
      // The unused one is still found, at the constant.
      const f = only(r, 'OBO202');
      assert.equal(f.details?.scope, 'serving.serving-endpoints');
      assertAt(r, f, '"serving.serving-endpoints", "dashboards.genie"]');
      const right = await analyse({
        'agent.py': GENIE_AGENT,
        'driver.py': helperDriver(helper.replace('"serving.serving-endpoints", ', '')),
      });
      assert.deepEqual(right.all, [], summary(right.all));
    });
  }

  it('a truly dynamic list: one OBO100 at the list, no OBO201 per needed scope', async () => {
    const helper =
      'import os\n\ndef build_scopes():\n    return [s.strip() for s in os.environ["SCOPES"].split(",")]';
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': helperDriver(helper) });
    none(r, 'OBO201');
    none(r, 'OBO202');
    const f = only(r, 'OBO100');
    assert.match(f.message, /api_scopes .*cannot be resolved statically/);
    assert.match(f.message, /`dashboards.genie`/);
  });
});

// Locals are flow-sensitive: a name read after an `if` holds what the branches that fall through gave it, so a
// branch that returns the user client does not make a later system client look user-authorized.
describe('values of locals follow the flow of a function', () => {
  const agent = (fallThrough: boolean) => py`
    import mlflow
    import os
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from mlflow.pyfunc import ResponsesAgent

    def get_client():
        if os.environ.get("IS_IN_DB_MODEL_SERVING_ENV") == "true":
            client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            ${fallThrough ? 'print("serving")' : 'return client'}
        else:
            client = WorkspaceClient(host="https://x", token=os.environ["TOKEN"])
        me = client.current_user.me()
        return client

    class Agent(ResponsesAgent):
        def predict(self, request):
            return get_client().genie.start_conversation_and_wait("01f0space", "hi")

    mlflow.models.set_model(Agent())
  `;
  it('a branch that returns the user client: the call after it is on the token client only', async () => {
    const r = await analyse({ 'agent.py': agent(false), 'driver.py': driver('["dashboards.genie"]') });
    none(r, 'OBO201');
    // Falling through, the call after the if may run on the user client: its (unconfirmed) scope is asked for.
    const through = await analyse({ 'agent.py': agent(true), 'driver.py': driver('["dashboards.genie"]') });
    assert.equal(only(through, 'OBO201', 'agent.py').severity, 'warning');
  });
});
