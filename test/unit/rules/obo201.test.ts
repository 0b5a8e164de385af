// OBO201: a scope the linked agent needs is missing from api_scopes (and the fix that adds it).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py, summary } from '../helpers';
import { GENIE_AGENT, driver, userAgent } from './scopesFixtures';

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
