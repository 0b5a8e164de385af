// OBO101: a user-authorized client (or a tool on it) built while the agent loads, and the agent shapes that load it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, positionOf, py, summary } from '../helpers';
import { IMPORTS, agent, USER_CLIENT, SNIPPETS } from './lifecycleFixtures';

describe('OBO101 user-authorized client built at load', () => {
  for (const [name, s] of Object.entries(SNIPPETS)) {
    it(`docs snippet "${name}" inside predict: no OBO101`, async () => {
      const r = await analyse({ 'agent.py': agent({ extraImports: s.imports, predict: s.body }) });
      none(r, 'OBO101');
    });
    it(`docs snippet "${name}" at the module top level of an agent: OBO101 on each construct`, async () => {
      const r = await analyse({ 'agent.py': agent({ extraImports: s.imports, top: s.body }) });
      const hits = r.code('OBO101');
      assert.equal(hits.length, s.constructs.length, summary(r.all));
      s.constructs.forEach((c, i) => {
        assert.equal(hits[i].severity, 'error');
        assertAt(r, hits[i], c);
        assert.match(hits[i].message, /while the agent loads/);
        assert.match(hits[i].message, /top level of agent\.py/);
      });
    });
  }

  it('reports a user client built in __init__, with a fix that moves it into predict', async () => {
    const r = await analyse({
      'agent.py': agent({
        init: `self.client = ${USER_CLIENT}`,
        predict: 'return self.client.serving_endpoints.query("my-endpoint", input=request)',
      }),
    });
    const f = only(r, 'OBO101');
    assert.equal(f.severity, 'error');
    assertAt(r, f, USER_CLIENT);
    assert.match(f.message, /`WorkspaceClient` \(a user-authorized client\)/);
    assert.match(f.message, /`Agent.__init__`/);
    assert.match(f.message, /Unable to detect credentials for user authorization/);
    assert.equal(f.fixes?.[0].title, 'Create client per request in predict');
    assert.equal(f.fixes?.[0].safe, false);
  });

  it('reports the construction inside a helper reached from __init__, with the call path as related information', async () => {
    const r = await analyse({
      'agent.py': agent({
        top: `def make_client():\n    return ${USER_CLIENT}\n`,
        init: 'self.client = make_client()',
        predict: 'return self.client',
      }),
    });
    const f = only(r, 'OBO101');
    assertAt(r, f, USER_CLIENT);
    assert.match(f.message, /reached from `Agent.__init__`/);
    assert.equal(f.related?.length, 1);
    assert.deepEqual(
      f.related?.[0].location.range.start,
      positionOf(r.files.get('/proj/agent.py')!, 'make_client()', 1),
    );
  });

  it('is silent for a helper that builds the client but is only called from predict', async () => {
    const r = await analyse({
      'agent.py': agent({
        top: `def make_client():\n    return ${USER_CLIENT}\n`,
        predict: 'client = make_client()\nreturn client.genie.start_conversation_and_wait("space", "hi")',
      }),
    });
    none(r, 'OBO101');
    none(r, 'OBO102');
  });

  it('follows a helper class in an imported module: fine when instantiated only in predict', async () => {
    const helpers = py`
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials

      class Tools:
          def __init__(self):
              self.client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

          def ask(self, q):
              return self.client.genie.start_conversation_and_wait("space", q)
    `;
    const r = await analyse({
      'helpers.py': helpers,
      'agent.py': agent({
        extraImports: 'from helpers import Tools\n',
        predict: 'return Tools().ask(request)',
      }),
    });
    none(r, 'OBO101');
    none(r, 'OBO102');
  });

  it('follows a helper class in an imported module: OBO101 in the helper when instantiated from __init__', async () => {
    const helpers = py`
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials

      class Tools:
          def __init__(self):
              self.client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
    `;
    const r = await analyse({
      'helpers.py': helpers,
      'agent.py': agent({
        extraImports: 'from helpers import Tools\n',
        init: 'self.tools = Tools()',
        predict: 'return self.tools',
      }),
    });
    const f = only(r, 'OBO101', 'helpers.py');
    assertAt(r, f, 'WorkspaceClient(credentials_strategy');
    assert.match(f.message, /reached from `Agent.__init__`/);
    assert.ok(
      f.related?.some((x) => x.location.file === '/proj/agent.py'),
      `related information points at the call in agent.py: ${JSON.stringify(f.related)}`,
    );
    none(r, 'OBO101', 'agent.py');
  });

  it('tells apart a tool helper called at load with a system client and per request with a user client', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: 'from databricks_langchain import VectorSearchRetrieverTool\n',
        top: py`
          def build_tools(client):
              return [VectorSearchRetrieverTool(index_name="main.docs.idx", workspace_client=client)]

          SHARED_TOOLS = build_tools(WorkspaceClient())
        `,
        predict: `return build_tools(${USER_CLIENT}) + SHARED_TOOLS`,
      }),
    });
    none(r, 'OBO101');
    // Given a user client built at load, the same helper is reported.
    const atLoad = await analyse({
      'agent.py': agent({
        extraImports: 'from databricks_langchain import VectorSearchRetrieverTool\n',
        top: py`
          def build_tools(client):
              return [VectorSearchRetrieverTool(index_name="main.docs.idx", workspace_client=client)]

          SHARED_TOOLS = build_tools(${USER_CLIENT})
        `,
        predict: 'return SHARED_TOOLS',
      }),
    });
    assert.deepEqual(
      atLoad.code('OBO101').map((f) => f.message.slice(0, f.message.indexOf(' ('))),
      ['`VectorSearchRetrieverTool`', '`WorkspaceClient`'],
    );
  });

  it('does not flag a helper module that is not imported by any agent', async () => {
    const r = await analyse({ 'util.py': `${IMPORTS}\nclient = ${USER_CLIENT}\n` });
    none(r, 'OBO101');
  });

  it('recognises aliased imports: import databricks.sdk as dbsdk, ModelServingUserCredentials as X', async () => {
    const src = py`
      import mlflow
      import databricks.sdk as dbsdk
      from databricks_ai_bridge import ModelServingUserCredentials as X
      from mlflow.pyfunc import ResponsesAgent

      w = dbsdk.WorkspaceClient(credentials_strategy=X())

      class Agent(ResponsesAgent):
          def predict(self, request):
              return w.serving_endpoints.query("e", input=request)

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': src });
    const f = only(r, 'OBO101');
    assertAt(r, f, 'dbsdk.WorkspaceClient(');
  });

  it('recognises the legacy SDK import path and Config(credentials_strategy=...)', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks.sdk.core import Config
      from databricks.sdk.credentials_provider import ModelServingUserCredentials
      from mlflow.pyfunc import ChatAgent

      cfg = Config(credentials_strategy=ModelServingUserCredentials())
      w = WorkspaceClient(config=cfg)

      class Agent(ChatAgent):
          def predict(self, messages, context=None, custom_inputs=None):
              return w

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': src });
    const hits = r.code('OBO101');
    assert.equal(hits.length, 2, summary(r.all));
    assertAt(r, hits[0], 'Config(credentials_strategy');
    assertAt(r, hits[1], 'WorkspaceClient(config');
  });

  it('recognises ModelServingUserCredentials re-exported under another module of the same package', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks.sdk.oauth import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      class Agent(ResponsesAgent):
          def predict(self, request):
              return w

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': src });
    assertAt(r, only(r, 'OBO101'), 'WorkspaceClient(credentials');
    // A name of another package is not taken for it.
    const other = src.replace('from databricks.sdk.oauth import', 'from my_company.auth import');
    none(await analyse({ 'agent.py': other }), 'OBO101');
  });

  it('treats load_context of a PythonModel as load time', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials

      class Model(mlflow.pyfunc.PythonModel):
          def load_context(self, context):
              self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

          def predict(self, context, model_input, params=None):
              return self.w.current_user.me()
    `;
    const r = await analyse({ 'agent.py': src });
    const f = only(r, 'OBO101');
    assert.match(f.message, /`Model.load_context`/);
  });

  it('system-authorized clients at load are fine', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: 'from databricks_langchain import ChatDatabricks\n',
        top: 'llm = ChatDatabricks(endpoint="databricks-claude")\nw = WorkspaceClient()\n',
      }),
    });
    none(r, 'OBO101');
  });

  it('is suppressed by # obo: ignore[OBO101] on the construction line, and only for that code', async () => {
    const ignored = await analyse({
      'agent.py': agent({ top: `w = ${USER_CLIENT}  # obo: ignore[OBO101]\n` }),
    });
    none(ignored, 'OBO101');
    const other = await analyse({
      'agent.py': agent({ top: `w = ${USER_CLIENT}  # obo: ignore[OBO102]\n` }),
    });
    only(other, 'OBO101');
    const bare = await analyse({ 'agent.py': agent({ top: `w = ${USER_CLIENT}  # obo: ignore\n` }) });
    none(bare, 'OBO101');
  });

  it('ignores code under if __name__ == "__main__": (serving imports the file, never runs it as a script)', async () => {
    const src = agent({ extraImports: '' }).concat(py`

      def smoke_test():
          w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          return w.current_user.me()

      if __name__ == "__main__":
          local = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          smoke_test()
    `);
    const r = await analyse({ 'agent.py': src });
    none(r, 'OBO101');
    // Nor do its calls count as needs of the agent.
    assert.deepEqual(r.reports[0].needs, []);
    // The same code without the guard runs at load.
    const unguarded = await analyse({ 'agent.py': src.replace('if __name__ == "__main__":', 'if True:') });
    assert.equal(unguarded.code('OBO101').length, 2, summary(unguarded.all));
  });

  it('treats async predict and predict_stream as request methods', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def predict_stream(self, request):
              w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
              yield w.current_user.me()

          async def apredict(self, request):
              return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      mlflow.models.set_model(Agent())
    `;
    none(await analyse({ 'agent.py': src }), 'OBO101');
  });
});

describe('OBO101/OBO102 one mistake, one finding', () => {
  it('a user client built in __init__ and kept on self: OBO101 only', async () => {
    const r = await analyse({
      'agent.py': agent({
        init: `self.client = ${USER_CLIENT}`,
        predict: 'return self.client.current_user.me()',
      }),
    });
    assertAt(r, only(r, 'OBO101'), USER_CLIENT);
    none(r, 'OBO102');
  });

  it('a user client built in a cached helper called from __init__: OBO101 only', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: 'import functools\n',
        top: `@functools.lru_cache\ndef user_client():\n    return ${USER_CLIENT}\n`,
        init: 'self.client = user_client()',
        predict: 'return self.client',
      }),
    });
    assertAt(r, only(r, 'OBO101'), USER_CLIENT);
    none(r, 'OBO102');
  });

  it('built per request and kept: OBO102 only (self, global, lru_cache)', async () => {
    const kept = await analyse({
      'agent.py': agent({ predict: `self.client = ${USER_CLIENT}\nreturn None` }),
    });
    assertAt(kept, only(kept, 'OBO102'), 'self.client =');
    none(kept, 'OBO101');
    const cached = await analyse({
      'agent.py': agent({
        extraImports: 'import functools\n',
        top: `@functools.lru_cache\ndef user_client():\n    return ${USER_CLIENT}\n`,
        predict: 'return user_client()',
      }),
    });
    assertAt(cached, only(cached, 'OBO102'), '@functools.lru_cache');
    none(cached, 'OBO101');
  });

  it('a client built at load but outside OBO101 (not reached from an agent root) and kept on the agent: OBO102', async () => {
    // `keep` is only called from predict, but the client it keeps was built in a helper module nobody runs at load.
    const r = await analyse({
      'agent.py': agent({
        top: `def make():\n    return ${USER_CLIENT}\n`,
        predict: 'self.client = make()\nreturn None',
      }),
    });
    assertAt(r, only(r, 'OBO102'), 'self.client =');
    none(r, 'OBO101');
  });
});

// Issue 9, pattern 3: agent classes written with a subscripted or aliased base, or a local base that is an agent.
describe('agent classes behind a subscripted, aliased or local base', () => {
  const BASES: Record<string, string> = {
    'a subscripted base, ResponsesAgent["A"]': 'class A(ResponsesAgent["A"]):',
    'a subscripted dotted base, mlflow.pyfunc.ChatAgent[State]': 'class A(mlflow.pyfunc.ChatAgent[dict]):',
    'an aliased base, Base = ResponsesAgent': 'Base = ResponsesAgent\n\nclass A(Base):',
    'a local base deriving from PythonModel':
      'class Base(mlflow.pyfunc.PythonModel):\n    pass\n\nclass A(Base):',
    'a local subscripted base deriving from ResponsesAgent':
      'class Base(ResponsesAgent):\n    pass\n\nclass A(Base[int]):',
  };
  for (const [name, header] of Object.entries(BASES)) {
    it(`${name}: __init__ and load_context run at load`, async () => {
      const src = py`
        import mlflow
        from databricks.sdk import WorkspaceClient
        from databricks_ai_bridge import ModelServingUserCredentials
        from mlflow.pyfunc import ResponsesAgent

        ${header}
            def __init__(self):
                self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

            def load_context(self, context):
                self.v = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

            def predict(self, request):
                w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
                return w.current_user.me()
      `;
      const r = await analyse({ 'agent.py': src });
      const hits = r.code('OBO101');
      assert.equal(hits.length, 2, summary(r.all));
      assert.match(hits[0].message, /`A.__init__`/);
      assert.match(hits[1].message, /`A.load_context`/);
      assertAt(r, hits[0], 'WorkspaceClient(credentials_strategy');
    });
  }

  it('a local base in another module, and a subclass that only inherits __init__', async () => {
    const base = py`
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class BaseAgent(ResponsesAgent["BaseAgent"]):
          def __init__(self):
              self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
    `;
    const agentSrc = py`
      import mlflow
      from base import BaseAgent

      class A(BaseAgent):
          def predict(self, request):
              return self.w.current_user.me()

      mlflow.models.set_model(A())
    `;
    const r = await analyse({ 'base.py': base, 'agent.py': agentSrc });
    assertAt(r, only(r, 'OBO101', 'base.py'), 'WorkspaceClient(credentials_strategy');
  });

  it('is silent for a subscripted base that is not an agent, and for the agent built per request', async () => {
    const src = py`
      from typing import Generic, TypeVar
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials

      T = TypeVar("T")

      class Holder(Generic[T]):
          def __init__(self):
              self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
    `;
    none(await analyse({ 'agent.py': src }), 'OBO101');
  });
});

// Issue 9, pattern 8: tools holding the per-request client kept in a container on the shared agent.
