// OBO202–OBO205: unused and unknown scopes, user auth without UserAuthPolicy, resources= beside auth_policy=.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py } from '../helpers';
import { GENIE_AGENT, driver, userAgent } from './scopesFixtures';

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
