// OBO201–OBO205: declared api_scopes and auth policies at log sites against what the linked agent needs.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py, summary } from '../helpers';

/** A Genie agent acting as the user, plus a system-auth chat model. */
const GENIE_AGENT = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain import ChatDatabricks, GenieAgent
  from mlflow.pyfunc import ResponsesAgent

  LLM_ENDPOINT_NAME = "databricks-claude-sonnet-4"
  GENIE_SPACE_ID = "01f0c0ffee"
  llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)

  class Agent(ResponsesAgent):
      def predict(self, request):
          client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          genie = GenieAgent(GENIE_SPACE_ID, client=client)
          return genie.invoke(request)

  mlflow.models.set_model(Agent())
`;

/** A logging script for agent.py with the given api_scopes list text. */
function driver(scopes: string, extra = ''): string {
  return py`
    import mlflow
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksServingEndpoint

    with mlflow.start_run():
        mlflow.pyfunc.log_model(
            name="agent",
            python_model="agent.py",${extra}
            auth_policy=AuthPolicy(
                system_auth_policy=SystemAuthPolicy(
                    resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")]
                ),
                user_auth_policy=UserAuthPolicy(api_scopes=${scopes}),
            ),
        )
  `;
}

/** Agent whose predict runs `body` on a user client `w`. */
function userAgent(body: string, imports = ''): string {
  return py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from mlflow.pyfunc import ResponsesAgent
    ${imports}
    class Agent(ResponsesAgent):
        def predict(self, request):
            w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            ${body}

    mlflow.models.set_model(Agent())
  `;
}

describe('OBO201 required scope missing from api_scopes', () => {
  it('reports the api_scopes list in the driver and the construct in the agent file', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver('["serving.serving-endpoints"]'),
    });
    const atList = only(r, 'OBO201', 'driver.py');
    assert.equal(atList.severity, 'error');
    assertAt(r, atList, '["serving.serving-endpoints"]');
    assert.match(atList.message, /lacks `dashboards.genie`, which agent.py needs/);
    assert.deepEqual(atList.details?.missing, ['dashboards.genie']);
    assert.ok(
      atList.related?.some((x) => x.location.file === '/proj/agent.py'),
      'related points at the Genie construct',
    );
    assert.equal(atList.fixes?.[0].title, 'Add `dashboards.genie` to api_scopes');

    const atCode = only(r, 'OBO201', 'agent.py');
    assert.equal(atCode.severity, 'error');
    assertAt(r, atCode, 'GenieAgent(GENIE_SPACE_ID');
    assert.match(
      atCode.message,
      /needs `dashboards.genie`, which the api_scopes in driver.py do not declare/,
    );
    assert.equal(atCode.fixes?.[0].title, 'Add `dashboards.genie` to api_scopes in driver.py');
    assert.ok(
      atCode.fixes?.[0].edits.every((e) => e.location.file === '/proj/driver.py'),
      'the fix edits driver.py',
    );
  });

  it('spells the missing scope in the author’s naming family', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["model-serving"]') });
    const f = only(r, 'OBO201', 'driver.py');
    assert.deepEqual(f.details?.toAdd, ['genie']);
    assert.match(f.message, /lacks `genie`/);
  });

  it('is satisfied by either naming family and by the sql parent scope', async () => {
    none(await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["dashboards.genie"]') }), 'OBO201');
    none(await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["genie"]') }), 'OBO201');
    const sqlAgent = userAgent(
      'return w.statement_execution.execute_statement(warehouse_id="abc", statement="select 1")',
    );
    none(await analyse({ 'agent.py': sqlAgent, 'driver.py': driver('["sql"]') }), 'OBO201');
    const sqlMissing = await analyse({ 'agent.py': sqlAgent, 'driver.py': driver('["genie"]') });
    assert.deepEqual(only(sqlMissing, 'OBO201', 'driver.py').details?.toAdd, ['sql']);
  });

  it('needs both catalog.connections and serving.serving-endpoints for http_request', async () => {
    const a = userAgent('return w.serving_endpoints.http_request(conn="github", method="GET", path="/user")');
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    const f = only(r, 'OBO201', 'driver.py');
    assert.deepEqual([...(f.details?.missing as string[])].sort(), [
      'catalog.connections',
      'serving.serving-endpoints',
    ]);
  });

  it('derives MCP scopes from managed MCP URLs', async () => {
    const cases: [string, string[]][] = [
      ['/api/2.0/mcp/genie/01f0abc', ['mcp.genie']],
      ['/api/2.0/mcp/functions/main/tools', ['mcp.functions']],
      ['/api/2.0/mcp/vector-search/main/docs', ['mcp.vectorsearch']],
      ['/api/2.0/mcp/sql', ['mcp.sql', 'sql.statement-execution', 'sql.warehouses']],
      ['/api/2.0/mcp/external/github', ['mcp.external']],
    ];
    for (const [urlPath, scopes] of cases) {
      const a = userAgent(
        `host = w.config.host\nmcp = DatabricksMCPClient(server_url=f"{host}${urlPath}", workspace_client=w)\nreturn mcp.list_tools()`,
        'from databricks_mcp import DatabricksMCPClient\n',
      );
      const r = await analyse({ 'agent.py': a, 'driver.py': driver('["genie"]') });
      const f = only(r, 'OBO201', 'driver.py');
      assert.deepEqual([...(f.details?.missing as string[])].sort(), scopes, urlPath);
      const ok = await analyse({ 'agent.py': a, 'driver.py': driver(JSON.stringify(scopes)) });
      none(ok, 'OBO201');
      none(ok, 'OBO202');
    }
  });

  it('accepts either family for the Genie One MCP server (documented as `genie`, unconfirmed)', async () => {
    const a = userAgent(
      'mcp = DatabricksMCPClient(server_url=f"{w.config.host}/api/2.0/mcp/genie", workspace_client=w)\nreturn mcp.list_tools()',
      'from databricks_mcp import DatabricksMCPClient\n',
    );
    for (const declared of ['["genie"]', '["dashboards.genie"]']) {
      const r = await analyse({ 'agent.py': a, 'driver.py': driver(declared) });
      none(r, 'OBO201');
      none(r, 'OBO202');
    }
    const missing = await analyse({ 'agent.py': a, 'driver.py': driver('["model-serving"]') });
    const f = only(missing, 'OBO201', 'driver.py');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.details?.toAdd, ['genie']);
  });

  it('derives MCP scopes from the helpers that build the URL themselves', async () => {
    const a = userAgent(
      py`
        fn = DatabricksMCPServer.from_uc_function(catalog="main", schema="tools", name="uc", workspace_client=w)
        vs = DatabricksMCPServer.from_vector_search(catalog="main", schema="docs", name="vs", workspace_client=w)
        kit = McpServerToolkit(url=f"{w.config.host}/api/2.0/mcp/external/github", workspace_client=w)
        return fn, vs, kit
      `,
      'from databricks_langchain import DatabricksMCPServer\nfrom databricks_openai import McpServerToolkit\n',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    assert.deepEqual(only(r, 'OBO201', 'driver.py').details?.missing, [
      'mcp.functions',
      'mcp.vectorsearch',
      'mcp.external',
    ]);
  });

  it('asks for ai-gateway only as a warning (unconfirmed), and serving for DatabricksOpenAI', async () => {
    const a = userAgent(
      py`
        llm = ChatDatabricks(model="gw", workspace_client=w, use_ai_gateway=True)
        oa = DatabricksOpenAI(workspace_client=w)
        return llm, oa
      `,
      'from databricks_langchain import ChatDatabricks\nfrom databricks_openai import DatabricksOpenAI\n',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    const hits = r.code('OBO201', 'agent.py');
    assert.deepEqual(
      hits.map((f) => `${(f.details?.missing as string[]).join()}:${f.severity}`),
      ['ai-gateway:warning', 'serving.serving-endpoints:error'],
    );
  });

  it('reports a dynamic MCP URL as OBO100 information, never an error', async () => {
    const a = userAgent(
      'mcp = DatabricksMCPClient(server_url=os.environ["MCP_URL"], workspace_client=w)\nreturn mcp.list_tools()',
      'import os\nfrom databricks_mcp import DatabricksMCPClient\n',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('["genie"]') });
    const f = only(r, 'OBO100', 'agent.py');
    assert.equal(f.severity, 'information');
    assertAt(r, f, 'DatabricksMCPClient(server_url');
    assert.match(f.message, /cannot be resolved statically/);
    assert.ok(
      r.all.every((x) => x.severity !== 'error'),
      summary(r.all),
    );
  });

  it('reports an unconfirmed need (current_user.me) as a warning, not an error', async () => {
    const r = await analyse({
      'agent.py': userAgent('return w.current_user.me()'),
      'driver.py': driver('["genie"]'),
    });
    const hits = r.code('OBO201');
    assert.ok(hits.length >= 1, summary(r.all));
    assert.ok(
      hits.every((f) => f.severity === 'warning'),
      summary(hits),
    );
    assert.deepEqual(only(r, 'OBO201', 'driver.py').details?.missing, ['iam.current-user:read']);
  });

  it('keeps an unconfirmed need out of an error: separate warning, fix not applied by fix-all', async () => {
    const a = userAgent(
      'me = w.current_user.me()\nreturn w.genie.start_conversation_and_wait("01f0", me.user_name)',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('[]') });
    const list = r.code('OBO201', 'driver.py');
    assert.deepEqual(
      list.map((f) => `${f.severity}:${(f.details?.missing as string[]).join()}:${f.fixes?.[0].safe}`),
      ['error:dashboards.genie:true', 'warning:iam.current-user:read:false'],
    );
    assert.match(list[1].message, /may need \(not confirmed by Databricks sources\)/);
    const code = r.code('OBO201', 'agent.py');
    assert.deepEqual(
      code.map((f) => f.severity),
      ['warning', 'error'],
      'current_user.me() comes first in the file',
    );
  });

  it('is a warning when some api_scopes entries are computed', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver('["model-serving", os.environ["EXTRA"]]').replace(
        'import mlflow',
        'import os\nimport mlflow',
      ),
    });
    assert.ok(
      r.code('OBO201').every((f) => f.severity === 'warning'),
      summary(r.all),
    );
    only(r, 'OBO100', 'driver.py');
  });

  it('follows api_scopes, UserAuthPolicy and AuthPolicy held in variables', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

      SCOPES = ["model-serving"]
      user_policy = UserAuthPolicy(api_scopes=SCOPES)
      policy = AuthPolicy(user_auth_policy=user_policy)
      mlflow.pyfunc.log_model(name="agent", python_model="agent.py", auth_policy=policy)
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const f = only(r, 'OBO201', 'driver.py');
    assertAt(r, f, '["model-serving"]');
    assert.ok(f.fixes?.length, 'a fix for the list held in a variable');
  });

  it('links python_model given as os.path.join(...), Path(...) or an f-string', async () => {
    const variants = [
      'os.path.join(os.path.dirname(__file__), "agent.py")',
      'os.path.join(os.getcwd(), "agent.py")',
      'str(Path(__file__).parent / "agent.py")',
      'Path("agent.py")',
      'f"{HERE}/agent.py"',
    ];
    for (const v of variants) {
      const d = driver('["model-serving"]')
        .replace('"agent.py"', v)
        .replace('import mlflow', 'import os\nfrom pathlib import Path\nimport mlflow\nHERE = os.getcwd()');
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
      const f = only(r, 'OBO201', 'driver.py');
      assert.deepEqual(f.details?.missing, ['dashboards.genie'], v);
    }
  });

  it('links python_model=os.path.join(os.path.dirname(__file__), ...) exactly, not to another project’s agent.py', async () => {
    const d = driver('["model-serving"]')
      .replace('"agent.py"', 'os.path.join(os.path.dirname(__file__), "agent.py")')
      .replace('import mlflow', 'import os\nimport mlflow');
    const r = await analyse({ 'a/agent.py': GENIE_AGENT, 'a/driver.py': d, 'b/agent.py': GENIE_AGENT });
    assert.equal(r.reports.find((x) => x.path === '/proj/a/agent.py')?.logSites.length, 1);
    assert.equal(r.reports.find((x) => x.path === '/proj/b/agent.py')?.logSites.length, 0);
  });

  it('does not check an agent against a log site that names another agent exactly', async () => {
    const d = driver('["model-serving"]').replace('"agent.py"', '"../b/agent.py"');
    const r = await analyse({ 'a/agent.py': GENIE_AGENT, 'a/driver.py': d, 'b/agent.py': GENIE_AGENT });
    assert.equal(r.reports.find((x) => x.path === '/proj/b/agent.py')?.logSites.length, 1);
    assert.equal(r.reports.find((x) => x.path === '/proj/a/agent.py')?.logSites.length, 0);
    none(r, 'OBO201', 'a/agent.py');
  });

  it('links mlflow.langchain.log_model(lc_model="agent.py") (positional too)', async () => {
    for (const call of [
      'mlflow.langchain.log_model(lc_model="agent.py",',
      'mlflow.langchain.log_model("agent.py",',
    ]) {
      const d = py`
        import mlflow
        from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
        ${call} name="agent", auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["model-serving"])))
      `;
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d }, { open: ['driver.py'] });
      assert.deepEqual(only(r, 'OBO201', 'driver.py').details?.missing, ['dashboards.genie'], call);
    }
  });

  it('links to an agent file that is not open, through readFile', async () => {
    const r = await analyse(
      { 'agent.py': GENIE_AGENT, 'driver.py': driver('["model-serving"]') },
      { open: ['driver.py'] },
    );
    only(r, 'OBO201', 'driver.py');
  });

  it('reports OBO100 when python_model cannot be resolved, and no scope errors', async () => {
    const d = driver('["model-serving"]').replace('"agent.py"', 'pick_model()');
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    assert.match(
      only(r, 'OBO100', 'driver.py').message,
      /python_model= of this log_model cannot be resolved/,
    );
    none(r, 'OBO201', 'driver.py');
  });

  it('checks a log_model in the agent’s own notebook (Databricks source, %%writefile cell)', async () => {
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %%writefile agent.py',
      ...GENIE_AGENT.trimEnd()
        .split('\n')
        .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC')),
      '',
      '# COMMAND ----------',
      '',
      ...driver("['model-serving']").trimEnd().split('\n'),
      '',
    ].join('\n');
    const r = await analyse({ 'notebook.py': nb });
    const hits = r.code('OBO201', 'notebook.py');
    assert.equal(hits.length, 2, summary(r.all));
    assertAt(r, hits[0], 'GenieAgent(GENIE_SPACE_ID');
    assertAt(r, hits[1], "['model-serving']");
  });

  it('is suppressed by # obo: ignore[OBO201] on the list line', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver('["model-serving"]').replace(
        '(api_scopes=["model-serving"]),',
        '$&  # obo: ignore[OBO201]',
      ),
    });
    none(r, 'OBO201', 'driver.py');
  });
});

describe('OBO202 declared scope nothing uses', () => {
  it('warns about a scope no construct requires or may use, marked unnecessary, with a removal fix', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["genie", "sql"]') });
    const f = only(r, 'OBO202');
    assert.equal(f.severity, 'warning');
    assertAt(r, f, '"sql"');
    assert.equal(f.unnecessary, true);
    assert.match(f.message, /`sql` is declared but nothing in agent.py uses it/);
    assert.equal(f.fixes?.[0].title, 'Remove `sql`');
  });

  it('accepts scopes a construct may use (vector search → endpoints and embedding serving)', async () => {
    const a = userAgent(
      'tool = VectorSearchRetrieverTool(index_name="main.docs.idx", workspace_client=w)\nreturn tool',
      'from databricks_langchain import VectorSearchRetrieverTool\n',
    );
    const r = await analyse({
      'agent.py': a,
      'driver.py': driver(
        '["serving.serving-endpoints", "vectorsearch.vector-search-endpoints", "vectorsearch.vector-search-indexes"]',
      ),
    });
    none(r, 'OBO202');
    none(r, 'OBO201');
  });

  it('softens to information when a user client is handed to code the catalog does not know', async () => {
    const a = userAgent('return my_wrapper(w)', 'from my_company.tools import my_wrapper\n');
    const r = await analyse({ 'agent.py': a, 'driver.py': driver('["genie"]') });
    const f = only(r, 'OBO202');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /may be in use/);
  });

  it('is suppressed by # obo: ignore[OBO202]', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=[
              "genie",
              "sql",  # obo: ignore[OBO202]
          ])),
      )
    `;
    none(await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d }), 'OBO202');
  });
});

describe('OBO203 unknown scope', () => {
  it('reports a misspelt scope with the nearest suggestion and a replacement fix', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["dashboard.genie"]') });
    const f = only(r, 'OBO203');
    assert.equal(f.severity, 'error');
    assertAt(r, f, '"dashboard.genie"');
    assert.match(f.message, /Invalid user API scope\(s\)/);
    assert.match(f.message, /Did you mean `dashboards.genie`\?/);
    assert.equal(f.fixes?.[0].title, 'Replace with `dashboards.genie`');
  });

  it('explains names that are not scopes: serving-endpoints, Apps-only scopes', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver('["genie", "serving-endpoints", "catalog.tables:read"]'),
    });
    const [a, b] = r.code('OBO203');
    assert.match(a.message, /`serving-endpoints` is not a scope name/);
    assert.equal(a.details?.suggestion, 'serving.serving-endpoints');
    assert.match(b.message, /Databricks Apps scope/);
  });

  it('accepts every scope of the Model Serving allowlist snapshot', async () => {
    // obo-facts.md §1b, verbatim.
    const allow =
      'sql, sql.statement-execution, sql.warehouses, mcp.genie, mcp.external, mcp.sql, mcp.vectorsearch, mcp.functions, ' +
      'catalog.connections, vector-search, vectorsearch.vector-search-indexes, vectorsearch.vector-search-endpoints, ' +
      'iam.current-user:read, iam.access-control:read, dashboards.genie, genie, ai-gateway, unity-catalog, apps.apps, apps, ' +
      'model-serving, serving.serving-endpoints, workspace.workspace';
    const scopes = allow.split(', ');
    assert.equal(scopes.length, 23);
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver(JSON.stringify(scopes)) });
    none(r, 'OBO203');
  });

  it('checks a log site even when no agent file is linked', async () => {
    const d = driver('["genei"]').replace('"agent.py"', '"missing_agent.py"');
    const r = await analyse({ 'driver.py': d });
    assert.equal(only(r, 'OBO203').details?.suggestion, 'genie');
  });
});

describe('OBO204 user auth without UserAuthPolicy', () => {
  const plain = (extra: string) => py`
    import mlflow

    mlflow.pyfunc.log_model(name="agent", python_model="agent.py"${extra})
  `;

  it('reports a log_model without auth_policy, with a fix adding AuthPolicy and imports', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': plain('') });
    const f = only(r, 'OBO204');
    assert.equal(f.severity, 'error');
    assertAt(r, f, 'mlflow.pyfunc.log_model(');
    assert.match(f.message, /agent.py acts on behalf of the user, but this log_model has no UserAuthPolicy/);
    assert.match(f.fixes?.[0].title ?? '', /UserAuthPolicy\(api_scopes=\["dashboards.genie"\]\)/);
    assert.deepEqual(f.details?.toAdd, ['dashboards.genie']);
  });

  it('reports an AuthPolicy without user_auth_policy at the AuthPolicy call', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy
      from mlflow.models.resources import DatabricksServingEndpoint

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(system_auth_policy=SystemAuthPolicy(resources=[DatabricksServingEndpoint("databricks-claude-sonnet-4")])),
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    assertAt(r, only(r, 'OBO204'), 'AuthPolicy(system_auth_policy');
  });

  it('is silent for an agent that uses only system auth', async () => {
    const a = GENIE_AGENT.replace(
      'client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
      'client = WorkspaceClient()',
    );
    const r = await analyse({ 'agent.py': a, 'driver.py': plain(', resources=[]') });
    none(r, 'OBO204');
  });
});

describe('OBO205 resources= and auth_policy= together', () => {
  it('reports resources= when auth_policy= is also given, with a fix', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver(
        '["genie"]',
        '\nresources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")],',
      ),
    });
    const f = only(r, 'OBO205');
    assert.equal(f.severity, 'error');
    assertAt(r, f, 'resources=[DatabricksServingEndpoint');
    assert.match(f.message, /Only one of `resources`, and `auth_policy` can be specified/);
    assert.equal(f.fixes?.[0].title, 'Move resources into SystemAuthPolicy(resources=...)');
  });

  it('is reported even when python_model is unknown (MLflow raises regardless)', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

      mlflow.pyfunc.log_model(python_model=model, resources=[], auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=[])))
    `;
    only(await analyse({ 'driver.py': d }), 'OBO205');
  });

  it('is silent with only one of them', async () => {
    none(await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver('["genie"]') }), 'OBO205');
    const only1 = py`
      import mlflow
      from mlflow.models.resources import DatabricksServingEndpoint
      mlflow.pyfunc.log_model(python_model="agent.py", resources=[DatabricksServingEndpoint(endpoint_name="x")])
    `;
    none(await analyse({ 'driver.py': only1 }), 'OBO205');
  });
});

// Issue 9, pattern 7: static values through helpers — an MCP URL a helper builds is a known path; a path under the
// managed prefix that is no managed server gets a precise message.
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
