// Fixes of OBO201–OBO205 applied to the text: the finding goes away, the code still parses, the author's style is kept.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { InputCell } from '../../../server/src/analyser/model';
import {
  analyse,
  applyCellFix,
  assertParses,
  fixAndReanalyse,
  none,
  only,
  py,
  pythonOfDatabricks,
} from '../helpers';

const GENIE_AGENT = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain import ChatDatabricks, GenieAgent
  from mlflow.pyfunc import ResponsesAgent

  LLM_ENDPOINT_NAME = "databricks-claude-sonnet-4"
  llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)

  class Agent(ResponsesAgent):
      def predict(self, request):
          client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          genie = GenieAgent("01f0c0ffee", client=client)
          sql = client.statement_execution.execute_statement(warehouse_id="w1", statement="select 1")
          return genie.invoke(request), sql

  mlflow.models.set_model(Agent())
`;

/** A driver whose UserAuthPolicy gets `scopes` verbatim (any layout, any quotes). */
function driver(scopes: string): string {
  return py`
    import mlflow
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksServingEndpoint, DatabricksSQLWarehouse

    system_policy = SystemAuthPolicy(resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")])
    user_policy = UserAuthPolicy(api_scopes=${scopes})
    mlflow.pyfunc.log_model(
        name="agent",
        python_model="agent.py",
        auth_policy=AuthPolicy(system_auth_policy=system_policy, user_auth_policy=user_policy),
    )
  `;
}

/** The api_scopes list as written in the fixed driver. */
function scopesText(text: string): string {
  const start = text.indexOf('api_scopes=') + 'api_scopes='.length;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    depth += text[i] === '[' ? 1 : text[i] === ']' ? -1 : 0;
    if (depth === 0) {
      return text.slice(start, i + 1);
    }
  }
  return text.slice(start);
}

describe('OBO201 fix: add the missing scopes in the author’s style', () => {
  const cases: { name: string; before: string; after: string }[] = [
    {
      name: 'inline, double quotes, documented names',
      before: '["serving.serving-endpoints"]',
      after: '["serving.serving-endpoints", "dashboards.genie", "sql.statement-execution"]',
    },
    {
      name: 'inline, single quotes, short names',
      before: "['model-serving']",
      after: "['model-serving', 'genie', 'sql']",
    },
    {
      name: 'inline with a trailing comma',
      before: '["model-serving",]',
      after: '["model-serving", "genie", "sql",]',
    },
    {
      name: 'one per line with a trailing comma',
      before: '[\n    "serving.serving-endpoints",\n]',
      after:
        '[\n    "serving.serving-endpoints",\n    "dashboards.genie",\n    "sql.statement-execution",\n]',
    },
    {
      name: 'one per line without a trailing comma',
      before: "[\n    'model-serving'\n]",
      after: "[\n    'model-serving',\n    'genie',\n    'sql'\n]",
    },
    {
      name: 'one per line, the last item carrying a comment',
      before: '[\n    "model-serving",  # chat model\n]',
      after: '[\n    "model-serving",  # chat model\n    "genie",\n    "sql",\n]',
    },
    {
      name: 'one per line, no trailing comma, a comment with a comma in it',
      before: '[\n    "model-serving"  # chat, embeddings\n]',
      after: '[\n    "model-serving",  # chat, embeddings\n    "genie",\n    "sql"\n]',
    },
    {
      name: 'an empty list',
      before: '[]',
      after: '["dashboards.genie", "sql.statement-execution"]',
    },
    {
      name: 'mixed families: short wins as soon as one short name is there',
      before: '["serving.serving-endpoints", "vector-search"]',
      after: '["serving.serving-endpoints", "vector-search", "genie", "sql"]',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver(c.before) });
      const f = only(r, 'OBO201', 'driver.py');
      const { after, files } = await fixAndReanalyse(r, f);
      assert.equal(scopesText(files['/proj/driver.py']), c.after);
      none(after, 'OBO201');
      none(after, 'OBO203');
    });
  }

  it('the agent-file finding’s fix edits driver.py, and only it', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver("['model-serving']") });
    const atCode = r.code('OBO201', 'agent.py');
    assert.equal(atCode.length, 2, 'one per construct: GenieAgent and execute_statement');
    const genie = atCode[0];
    assert.deepEqual(genie.details?.toAdd, ['genie']);
    const { after, files } = await fixAndReanalyse(r, genie);
    assert.equal(files['/proj/agent.py'], GENIE_AGENT, 'agent.py untouched');
    assert.equal(scopesText(files['/proj/driver.py']), "['model-serving', 'genie']");
    // The other construct still lacks its scope; the Genie one is satisfied.
    assert.deepEqual(only(after, 'OBO201', 'agent.py').details?.toAdd, ['sql']);
  });

  it('edits a notebook cell (Databricks source) in place, keeping the cell Python', async () => {
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %%writefile agent.py',
      ...GENIE_AGENT.trimEnd()
        .split('\n')
        .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC')),
      '',
      '# COMMAND ----------',
      '',
      ...driver('[\n    "model-serving",\n]').trimEnd().split('\n'),
      '',
    ].join('\n');
    const r = await analyse({ 'notebook.py': nb });
    const f = r.code('OBO201', 'notebook.py').find((x) => x.details?.agentFile);
    assert.ok(f, 'the list finding');
    const { after, files } = await fixAndReanalyse(r, f);
    none(after, 'OBO201');
    const cells = pythonOfDatabricks(files['/proj/notebook.py']);
    assert.equal(scopesText(cells[1]), '[\n    "model-serving",\n    "genie",\n    "sql",\n]');
  });

  it('edits the driver cell of a Jupyter notebook (cell index, cell-relative lines)', async () => {
    const cells: InputCell[] = [
      { kind: 'markup', source: '# Agent' },
      { kind: 'code', source: '%pip install databricks-langchain\n%restart_python' },
      { kind: 'code', source: `%%writefile agent.py\n${GENIE_AGENT}` },
      { kind: 'code', source: driver("[\n    'model-serving',\n]") },
    ];
    const r = await analyse({}, { cells: { 'nb.ipynb': cells } });
    const hits = r.code('OBO201', 'nb.ipynb');
    assert.deepEqual(
      hits.map((f) => f.location.cell),
      [2, 2, 3],
      'two constructs in the %%writefile cell, the list in the driver cell',
    );
    const fixed = applyCellFix('nb.ipynb', cells, hits[0].fixes![0]);
    assert.equal(fixed[2].source, cells[2].source, 'the agent cell is untouched');
    assert.equal(scopesText(fixed[3].source), "[\n    'model-serving',\n    'genie',\n]");
    await assertParses(fixed[3].source);
    // Genie is declared now; the statement execution still lacks `sql`, and its fix completes the list.
    const again = await analyse({}, { cells: { 'nb.ipynb': fixed } });
    const sql = again.code('OBO201', 'nb.ipynb');
    assert.deepEqual(
      sql.map((f) => f.details?.toAdd),
      [['sql'], ['sql']],
    );
    const done = await analyse(
      {},
      { cells: { 'nb.ipynb': applyCellFix('nb.ipynb', fixed, sql[0].fixes![0]) } },
    );
    none(done, 'OBO201');
  });

  it('edits a %%writefile cell’s MAGIC lines with the prefix on new lines', async () => {
    // Driver inside a MAGIC %python cell: inserted lines need the `# MAGIC ` prefix too.
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %%writefile agent.py',
      ...GENIE_AGENT.trimEnd()
        .split('\n')
        .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC')),
      '',
      '# COMMAND ----------',
      '',
      '# MAGIC %python',
      ...driver('[\n    "model-serving",\n]')
        .trimEnd()
        .split('\n')
        .map((l) => (l ? `# MAGIC ${l}` : '# MAGIC')),
      '',
    ].join('\n');
    const r = await analyse({ 'notebook.py': nb });
    const f = r.code('OBO201', 'notebook.py').find((x) => x.details?.agentFile);
    assert.ok(f, 'the list finding');
    const { after, files } = await fixAndReanalyse(r, f);
    none(after, 'OBO201');
    assert.match(files['/proj/notebook.py'], /\n# MAGIC     "genie",\n# MAGIC     "sql",\n/);
  });
});

describe('OBO202 fix: remove the unused scope', () => {
  const cases: [string, string, string][] = [
    ['inline, middle', '["genie", "vector-search", "sql"]', '["genie", "sql"]'],
    ['inline, last', '["genie", "sql", "vector-search"]', '["genie", "sql"]'],
    ['inline, first', '["vector-search", "genie", "sql"]', '["genie", "sql"]'],
    ['inline, last with trailing comma', '["genie", "sql", "vector-search",]', '["genie", "sql",]'],
    [
      'one per line',
      '[\n    "genie",\n    "vector-search",\n    "sql",\n]',
      '[\n    "genie",\n    "sql",\n]',
    ],
    [
      'one per line, last without comma',
      '[\n    "genie",\n    "sql",\n    "vector-search"\n]',
      '[\n    "genie",\n    "sql"\n]',
    ],
    [
      'one per line, last without comma, comments with commas',
      '[\n    "genie",\n    "sql",  # c, d\n    "vector-search"  # a, b\n]',
      '[\n    "genie",\n    "sql"  # c, d\n]',
    ],
    [
      'one per line, with a comment',
      '[\n    "genie",\n    "vector-search",  # for later\n    "sql",\n]',
      '[\n    "genie",\n    "sql",\n]',
    ],
  ];
  for (const [name, before, expected] of cases) {
    it(name, async () => {
      const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver(before) });
      const f = only(r, 'OBO202');
      assert.equal(f.fixes?.[0].safe, false, 'removing a scope is not applied by fix-all');
      const { after, files } = await fixAndReanalyse(r, f);
      assert.equal(scopesText(files['/proj/driver.py']), expected);
      none(after, 'OBO202');
      none(after, 'OBO201');
    });
  }
});

describe('OBO203 fix: replace with the nearest scope', () => {
  it('keeps the quote style', async () => {
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': driver("['dashboard.genie', 'sql']") });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO203'));
    assert.equal(scopesText(files['/proj/driver.py']), "['dashboards.genie', 'sql']");
    none(after, 'OBO203');
    none(after, 'OBO201');
  });

  it('replaces serving-endpoints with serving.serving-endpoints', async () => {
    const r = await analyse({
      'agent.py': GENIE_AGENT,
      'driver.py': driver('["serving-endpoints", "genie", "sql"]'),
    });
    const { after } = await fixAndReanalyse(r, only(r, 'OBO203'));
    none(after, 'OBO203');
  });
});

describe('OBO204 fix: add auth_policy with UserAuthPolicy', () => {
  it('adds AuthPolicy(user_auth_policy=...) and the import to a bare log_model', async () => {
    const d = py`
      import mlflow

      with mlflow.start_run():
          mlflow.pyfunc.log_model(name="agent", python_model="agent.py")
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO204'));
    none(after, 'OBO204');
    none(after, 'OBO201');
    none(after, 'OBO205');
    assert.match(
      files['/proj/driver.py'],
      /^from mlflow\.models\.auth_policy import AuthPolicy, UserAuthPolicy$/m,
    );
  });

  it('with an existing resources= moves them into SystemAuthPolicy instead of creating OBO205', async () => {
    const d = py`
      import mlflow
      from mlflow.models.resources import DatabricksServingEndpoint

      mlflow.pyfunc.log_model(
          name="agent",
          python_model="agent.py",
          resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")],
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO204'));
    none(after, 'OBO204');
    none(after, 'OBO205');
    none(after, 'OBO301');
    assert.doesNotMatch(files['/proj/driver.py'], /^\s*resources=/m);
    assert.match(files['/proj/driver.py'], /SystemAuthPolicy\(resources=\[DatabricksServingEndpoint/);
  });

  it('keeps a comment on the last argument where it was', async () => {
    const d = py`
      import mlflow

      mlflow.pyfunc.log_model(
          name="agent",
          python_model="agent.py"  # the agent, logged as code
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { files } = await fixAndReanalyse(r, only(r, 'OBO204'));
    assert.match(
      files['/proj/driver.py'],
      /python_model="agent.py",  # the agent, logged as code\n {4}auth_policy=AuthPolicy\(/,
    );
  });

  it('with resources= on one line', async () => {
    const d = py`
      import mlflow
      from mlflow.models.resources import DatabricksServingEndpoint
      mlflow.pyfunc.log_model(python_model="agent.py", resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")])
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after } = await fixAndReanalyse(r, only(r, 'OBO204'));
    none(after, 'OBO204');
    none(after, 'OBO205');
    none(after, 'OBO301');
  });

  it('adds user_auth_policy= to an AuthPolicy that has only a system policy, extending the existing import', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy
      from mlflow.models.resources import DatabricksServingEndpoint

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(
              system_auth_policy=SystemAuthPolicy(resources=[DatabricksServingEndpoint("databricks-claude-sonnet-4")])
          ),
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO204'));
    none(after, 'OBO204');
    none(after, 'OBO201');
    assert.match(
      files['/proj/driver.py'],
      /^from mlflow\.models\.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy$/m,
    );
  });
});

describe('OBO205 fix: move resources= into SystemAuthPolicy', () => {
  it('when auth_policy has no system policy yet', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
      from mlflow.models.resources import DatabricksServingEndpoint

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")],
          auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["genie", "sql"])),
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after } = await fixAndReanalyse(r, only(r, 'OBO205'));
    none(after, 'OBO205');
    none(after, 'OBO301');
    none(after, 'OBO201');
  });

  it('when a SystemAuthPolicy list exists: the items join it', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
      from mlflow.models.resources import DatabricksServingEndpoint, DatabricksSQLWarehouse

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(
              system_auth_policy=SystemAuthPolicy(resources=[DatabricksSQLWarehouse(warehouse_id="w1")]),
              user_auth_policy=UserAuthPolicy(api_scopes=["genie", "sql"]),
          ),
          resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")],
      )
    `;
    const r = await analyse({ 'agent.py': GENIE_AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO205'));
    none(after, 'OBO205');
    none(after, 'OBO301');
    assert.match(
      files['/proj/driver.py'],
      /SystemAuthPolicy\(resources=\[DatabricksSQLWarehouse\(warehouse_id="w1"\), DatabricksServingEndpoint\(endpoint_name="databricks-claude-sonnet-4"\)\]\)/,
    );
  });
});
