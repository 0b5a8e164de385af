// Fixes in agent code: OBO101 "create per request in predict", OBO301 declare the resource, OBO401–OBO403 rename/re-import.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, fixAndReanalyse, none, only, py } from '../helpers';

const DRIVER = py`
  import mlflow
  from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

  mlflow.pyfunc.log_model(
      python_model="agent.py",
      auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["model-serving", "genie"])),
  )
`;

describe('OBO101 fix: create the client per request in predict', () => {
  it('moves self.x = <user client> from __init__ into predict and predict_stream', async () => {
    const a = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def __init__(self):
              self.endpoint = "databricks-claude-sonnet-4"
              self.client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

          def predict(self, request):
              """Answers one request."""
              return self.client.serving_endpoints.query(self.endpoint, input=request)

          def predict_stream(self, request):
              yield self.client.serving_endpoints.query(self.endpoint, input=request)

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': DRIVER });
    const f = only(r, 'OBO101');
    assert.equal(f.fixes?.[0].title, 'Create client per request in predict and predict_stream');
    const { after, files } = await fixAndReanalyse(r, f);
    none(after, 'OBO101');
    none(after, 'OBO102');
    none(after, 'OBO201');
    const text = files['/proj/agent.py'];
    assert.doesNotMatch(text, /self\.client/);
    assert.match(
      text,
      /"""Answers one request."""\n {8}client = WorkspaceClient\(credentials_strategy=ModelServingUserCredentials\(\)\)\n {8}return client\.serving_endpoints/,
    );
    assert.match(text, /def __init__\(self\):\n {8}self\.endpoint = "databricks-claude-sonnet-4"\n\n/);
  });

  it('leaves pass when the construction was all __init__ did', async () => {
    const a = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from databricks_langchain import GenieAgent
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def __init__(self):
              self.genie = GenieAgent("01f0", client=WorkspaceClient(credentials_strategy=ModelServingUserCredentials()))

          def predict(self, request):
              return self.genie.invoke(request)

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': DRIVER });
    const hits = r.code('OBO101');
    assert.equal(hits.length, 2, 'the client and the Genie agent');
    const genie = hits.find((h) => h.fixes?.length);
    assert.ok(genie, 'the outer construction has the fix');
    const { after, files } = await fixAndReanalyse(r, genie);
    none(after, 'OBO101');
    assert.match(files['/proj/agent.py'], /def __init__\(self\):\n {8}pass\n/);
  });

  it('is not offered when the construction uses a local of __init__ or self.x is read elsewhere', async () => {
    const usesLocal = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def __init__(self):
              creds = ModelServingUserCredentials()
              self.client = WorkspaceClient(credentials_strategy=creds)

          def predict(self, request):
              return self.client

      mlflow.models.set_model(Agent())
    `;
    assert.equal(only(await analyse({ 'agent.py': usesLocal }), 'OBO101').fixes, undefined);
    const readElsewhere = usesLocal
      .replace('creds = ModelServingUserCredentials()\n        ', '')
      .replace('credentials_strategy=creds', 'credentials_strategy=ModelServingUserCredentials()')
      .replace(
        'def predict(self, request):',
        'def helper(self):\n        return self.client\n\n    def predict(self, request):',
      );
    assert.equal(only(await analyse({ 'agent.py': readElsewhere }), 'OBO101').fixes, undefined);
    const oneLinePredict = readElsewhere.replace(
      'def helper(self):\n        return self.client\n\n    def predict(self, request):\n        return self.client',
      'def predict(self, request): return self.client',
    );
    assert.match(oneLinePredict, /def predict\(self, request\): return self.client/);
    assert.equal(only(await analyse({ 'agent.py': oneLinePredict }), 'OBO101').fixes, undefined);
  });
});

describe('OBO301 fix: declare the resource', () => {
  const AGENT = py`
    import mlflow
    from databricks_langchain import ChatDatabricks
    from mlflow.pyfunc import ResponsesAgent

    llm = ChatDatabricks(endpoint='databricks-claude-sonnet-4')

    class Agent(ResponsesAgent):
        def predict(self, request):
            return llm.invoke(request)

    mlflow.models.set_model(Agent())
  `;

  it('adds to an existing resources= list, importing the class', async () => {
    const d = py`
      import mlflow

      mlflow.pyfunc.log_model(python_model="agent.py", resources=[])
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO301'));
    none(after, 'OBO301');
    assert.match(
      files['/proj/driver.py'],
      /^from mlflow\.models\.resources import DatabricksServingEndpoint$/m,
    );
    assert.match(
      files['/proj/driver.py'],
      /resources=\["?DatabricksServingEndpoint\(endpoint_name="databricks-claude-sonnet-4"\)\]/,
    );
  });

  it('adds to the SystemAuthPolicy list held in a variable, extending the existing resources import', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy
      from mlflow.models.resources import DatabricksSQLWarehouse

      resources = [
          DatabricksSQLWarehouse(warehouse_id='w1'),
      ]
      mlflow.pyfunc.log_model(
          python_model='agent.py',
          auth_policy=AuthPolicy(system_auth_policy=SystemAuthPolicy(resources=resources)),
      )
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO301'));
    none(after, 'OBO301');
    assert.match(
      files['/proj/driver.py'],
      /from mlflow\.models\.resources import DatabricksSQLWarehouse, DatabricksServingEndpoint\n/,
    );
    assert.match(
      files['/proj/driver.py'],
      /\[\n {4}DatabricksSQLWarehouse\(warehouse_id='w1'\),\n {4}DatabricksServingEndpoint\(endpoint_name='databricks-claude-sonnet-4'\),\n\]/,
    );
  });

  it('adds system_auth_policy= to an AuthPolicy that has only a user policy', async () => {
    const d = py`
      import mlflow
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy

      mlflow.pyfunc.log_model(
          python_model="agent.py",
          auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=[])),
      )
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': d });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO301'));
    none(after, 'OBO301');
    none(after, 'OBO205');
    assert.match(files['/proj/driver.py'], /import AuthPolicy, UserAuthPolicy, SystemAuthPolicy/);
  });

  it('adds resources= to a log_model that has neither', async () => {
    const d = py`
      import mlflow

      mlflow.pyfunc.log_model(python_model="agent.py")
    `;
    const r = await analyse({ 'agent.py': AGENT, 'driver.py': d });
    const { after } = await fixAndReanalyse(r, only(r, 'OBO301'));
    none(after, 'OBO301');
  });
});

describe('OBO401–OBO403 fixes', () => {
  it('OBO401: renames the keyword, and the client becomes a recognised user client', async () => {
    const a = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def predict(self, request):
              w = WorkspaceClient(credential_strategy=ModelServingUserCredentials())
              return w.genie.start_conversation_and_wait("01f0", "hi")

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': a, 'driver.py': DRIVER });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO401'));
    none(after, 'OBO401');
    assert.match(
      files['/proj/agent.py'],
      /WorkspaceClient\(credentials_strategy=ModelServingUserCredentials\(\)\)/,
    );
    assert.deepEqual(
      after.reports[0].needs.map((n) => n.scope),
      ['dashboards.genie'],
    );
  });

  it('OBO401: GenieAgent(workspace_client=) → client=', async () => {
    const a = py`
      from databricks_langchain import GenieAgent
      def make(w):
          return GenieAgent("01f0", workspace_client=w)
    `;
    const r = await analyse({ 'agent.py': a });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO401'));
    none(after, 'OBO401');
    assert.match(files['/proj/agent.py'], /GenieAgent\("01f0", client=w\)/);
  });

  it('OBO402: re-imports from databricks_ai_bridge', async () => {
    const a = 'from databricks.sdk.credentials_provider import ModelServingUserCredentials\n';
    const r = await analyse({ 'agent.py': a });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO402'));
    none(after, 'OBO402');
    assert.equal(files['/proj/agent.py'], 'from databricks_ai_bridge import ModelServingUserCredentials\n');
  });

  it('OBO402: re-imports VectorSearchClient from databricks.ai_search, still a user client afterwards', async () => {
    const a = py`
      from databricks.vector_search.client import VectorSearchClient
      from databricks.vector_search.utils import CredentialStrategy

      def make():
          return VectorSearchClient(credential_strategy=CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS)
    `;
    let r = await analyse({ 'agent.py': a });
    assert.equal(r.code('OBO402').length, 2);
    for (let i = 0; i < 2; i++) {
      r = (await fixAndReanalyse(r, r.code('OBO402')[0])).after;
    }
    none(r, 'OBO402');
    assert.match(
      r.files.get('/proj/agent.py') ?? '',
      /from databricks\.ai_search\.client import VectorSearchClient/,
    );
  });

  it('OBO403: imports GenieAgent from databricks_langchain', async () => {
    const r = await analyse({ 'agent.py': 'from databricks_openai import GenieAgent\n' });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO403'));
    none(after, 'OBO403');
    assert.equal(files['/proj/agent.py'], 'from databricks_langchain import GenieAgent\n');
  });

  it('OBO403: databricks_ai_bridge.utils.auth → databricks_ai_bridge', async () => {
    const r = await analyse({
      'agent.py': 'from databricks_ai_bridge.utils.auth import ModelServingUserCredentials\n',
    });
    const { after, files } = await fixAndReanalyse(r, only(r, 'OBO403'));
    none(after, 'OBO403');
    assert.equal(files['/proj/agent.py'], 'from databricks_ai_bridge import ModelServingUserCredentials\n');
  });
});
