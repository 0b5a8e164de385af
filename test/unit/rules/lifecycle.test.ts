// OBO101 (user client built while the agent loads) and OBO102 (user client outlives the request), both directions.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, positionOf, py, summary } from '../helpers';
import { createProject } from '../../../server/src/analyser/analyse';
import { BUILTIN_CATALOG } from '../../../server/src/catalog/data';
import { extendCatalog } from '../../../server/src/catalog/extend';

const IMPORTS = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from mlflow.pyfunc import ResponsesAgent
`;

/** An agent module: imports, top-level code, then a ResponsesAgent whose predict runs `predict` lines. */
function agent(parts: { top?: string; init?: string; predict?: string; extraImports?: string }): string {
  const indent = (s: string, n: number) =>
    s
      .trimEnd()
      .split('\n')
      .map((l) => (l ? ' '.repeat(n) + l : l))
      .join('\n');
  return [
    IMPORTS + (parts.extraImports ?? ''),
    parts.top ?? '',
    'class Agent(ResponsesAgent):',
    parts.init ? `    def __init__(self):\n${indent(parts.init, 8)}\n` : '',
    `    def predict(self, request):\n${indent(parts.predict ?? 'return None', 8)}\n`,
    '',
    'AGENT = Agent()',
    'mlflow.models.set_model(AGENT)',
    '',
  ].join('\n');
}

const USER_CLIENT = 'WorkspaceClient(credentials_strategy=ModelServingUserCredentials())';

// The documentation snippets of seeds 002/004 (Chinese/Japanese copies of the OBO docs page), with the imports
// each needs. Every one builds a user-authorized client; some build a tool on it.
const SNIPPETS: Record<string, { imports: string; body: string; constructs: string[] }> = {
  'vector search retriever tool': {
    imports: 'from databricks_langchain import VectorSearchRetrieverTool\n',
    body: py`
      user_client = WorkspaceClient(credentials_strategy = ModelServingUserCredentials())
      vector_search_tools = []
      try:
          tool = VectorSearchRetrieverTool(
              index_name="<index_name>",
              description="...",
              tool_name="...",
              workspace_client=user_client # Specify the user authorized client
          )
          vector_search_tools.append(tool)
      except Exception as e:
          _logger.debug("Skipping adding tool as user does not have permissions")
    `,
    constructs: ['WorkspaceClient(', 'VectorSearchRetrieverTool('],
  },
  'vector search client': {
    imports: py`
      from databricks.vector_search.client import VectorSearchClient
      from databricks.vector_search.utils import CredentialStrategy
    `,
    body: py`
      user_authenticated_vsc = VectorSearchClient(credential_strategy=CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS)
      try:
          vs_index = user_authenticated_vsc.get_index(endpoint_name="endpoint_name", index_name="index_name")
      except Exception as e:
          _logger.debug("Skipping Vector Index because user does not have permissions")
    `,
    constructs: ['VectorSearchClient('],
  },
  'MCP client': {
    imports: 'from databricks_mcp import DatabricksMCPClient\n',
    body: py`
      user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
      mcp_client = DatabricksMCPClient(
          server_url="https://example.cloud.databricks.com/api/2.0/mcp/genie/01f0",
          workspace_client=user_client, # Specify the user client here
      )
    `,
    constructs: ['WorkspaceClient(', 'DatabricksMCPClient('],
  },
  'model serving endpoint': {
    imports: '',
    body: py`
      user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
      try:
          user_client.serving_endpoints.query("endpoint_name", input="")
      except Exception as e:
          _logger.debug("Skipping Model Serving Endpoint due to no permissions")
    `,
    constructs: ['WorkspaceClient('],
  },
  'UC connections': {
    imports: 'from databricks.sdk.service.serving import ExternalFunctionRequestHttpMethod\n',
    body: py`
      user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
      user_client.serving_endpoints.http_request(
          conn="connection_name",
          method=ExternalFunctionRequestHttpMethod.POST,
          path="/api/v1/resource",
          json={"key": "value"},
          headers={"extra_header_key": "extra_header_value"},
      )
    `,
    constructs: ['WorkspaceClient('],
  },
  'Genie space': {
    imports: 'from databricks_langchain.genie import GenieAgent\n',
    body: py`
      user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
      genie_agent = GenieAgent(
          genie_space_id="<genie_space_id>",
          genie_agent_name="Genie",
          description="Genie_description",
          client=user_client, # Specify the user client here
      )
    `,
    constructs: ['WorkspaceClient(', 'GenieAgent('],
  },
};

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

describe('OBO102 user-authorized client outlives the request', () => {
  it('reports self.x = <user client> in an agent method', async () => {
    const r = await analyse({
      'agent.py': agent({ predict: `self.client = ${USER_CLIENT}\nreturn self.client.current_user.me()` }),
    });
    const f = only(r, 'OBO102');
    assert.equal(f.severity, 'error');
    assertAt(r, f, 'self.client =');
    assert.match(f.message, /on `self.client`/);
    assert.match(f.message, /previous user's identity/);
    assert.equal(f.related?.[0].message, 'the user-authorized value is built here');
    none(r, 'OBO101');
  });

  it('reports a user client kept in a module global from predict', async () => {
    const r = await analyse({
      'agent.py': agent({
        top: 'CLIENT = None\n',
        predict: `global CLIENT\nCLIENT = ${USER_CLIENT}\nreturn CLIENT`,
      }),
    });
    const f = only(r, 'OBO102');
    assertAt(r, f, 'CLIENT = WorkspaceClient');
    assert.match(f.message, /module-level `CLIENT`/);
  });

  it('reports a user client put into a module-level dict', async () => {
    const r = await analyse({
      'agent.py': agent({
        top: '_clients = {}\n',
        predict: `_clients[request.user] = ${USER_CLIENT}\nreturn None`,
      }),
    });
    const f = only(r, 'OBO102');
    assertAt(r, f, '_clients[request.user]');
    assert.match(f.message, /module-level `_clients\[request.user\]`/);
  });

  it('reports a class attribute', async () => {
    const r = await analyse({
      'agent.py': agent({ predict: `Agent.shared = ${USER_CLIENT}\nreturn Agent.shared` }),
    });
    const f = only(r, 'OBO102');
    assert.match(f.message, /class attribute `Agent.shared`/);
  });

  it('reports functools.lru_cache on a function returning a user client, at the decorator', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: 'import functools\n',
        top: `@functools.lru_cache(maxsize=1)\ndef user_client():\n    return ${USER_CLIENT}\n`,
        predict: 'return user_client().current_user.me()',
      }),
    });
    const f = only(r, 'OBO102');
    assertAt(r, f, '@functools.lru_cache');
    assert.match(f.message, /`user_client` caches its result/);
    none(r, 'OBO101');
  });

  it('reports @cache imported from functools', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: 'from functools import cache\n',
        top: `@cache\ndef user_client():\n    return ${USER_CLIENT}\n`,
        predict: 'return user_client()',
      }),
    });
    assertAt(r, only(r, 'OBO102'), '@cache');
  });

  it('is silent for a cached system client, a local in predict, and a helper object living only in predict', async () => {
    const cached = await analyse({
      'agent.py': agent({
        extraImports: 'import functools\n',
        top: '@functools.lru_cache\ndef system_client():\n    return WorkspaceClient()\n',
        predict: 'return system_client()',
      }),
    });
    none(cached, 'OBO102');
    const local = await analyse({
      'agent.py': agent({ predict: `client = ${USER_CLIENT}\nreturn client.current_user.me()` }),
    });
    none(local, 'OBO102');
    const helper = await analyse({
      'agent.py': agent({
        top: `class Session:\n    def __init__(self):\n        self.client = ${USER_CLIENT}\n`,
        predict: 'return Session().client',
      }),
    });
    none(helper, 'OBO102');
  });

  it('is suppressed by # obo: ignore[OBO102]', async () => {
    const r = await analyse({
      'agent.py': agent({ predict: `self.client = ${USER_CLIENT}  # obo: ignore[OBO102]\nreturn None` }),
    });
    none(r, 'OBO102');
  });
});

// Holders: framework objects that keep the tools they are given (catalog rows with `holdsTools`).
const HOLDER_IMPORTS = py`
  from databricks_langchain import ChatDatabricks, VectorSearchRetrieverTool
  from langchain.agents import AgentExecutor, create_agent
  from langgraph.prebuilt import ToolNode, create_react_agent
`;

/** A user client, a retriever tool on it and a chat model, as the Databricks OBO docs build them in predict. */
const USER_TOOL = py`
  user_client = ${USER_CLIENT}
  tool = VectorSearchRetrieverTool(index_name="main.docs.idx", workspace_client=user_client)
  llm = ChatDatabricks(endpoint="databricks-claude")
`;

// Frameworks take tools in a list or tuple, often built with `tools.append(tool)` (the Databricks docs snippet): the
// interpreter looks into list values and follows append/extend/insert on a plain name.

describe('OBO102 framework objects holding user-authorized tools', () => {
  // One call per holder row, tools given as frameworks take them (a list, a tuple, a ToolNode).
  const HELD: Record<string, string> = {
    'AgentExecutor(tools=[...])': 'AgentExecutor(agent=llm, tools=[tool])',
    'AgentExecutor.from_agent_and_tools(agent, [...])': 'AgentExecutor.from_agent_and_tools(llm, [tool])',
    'create_react_agent(model, [...])': 'create_react_agent(llm, [tool])',
    'create_react_agent(model, tools=ToolNode([...]))': 'create_react_agent(llm, tools=ToolNode([tool]))',
    'create_agent(model, tools=(...,))': 'create_agent(llm, tools=(tool,))',
    'ToolNode([...])': 'ToolNode([tool])',
  };
  for (const [name, call] of Object.entries(HELD)) {
    it(`reports ${name} kept on self in predict`, async () => {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          predict: `${USER_TOOL}self.held = ${call}\nreturn self.held.invoke(request)`,
        }),
      });
      const f = only(r, 'OBO102');
      assertAt(r, f, 'self.held =');
      assert.match(f.message, /\(holding user-authorized tools\) is kept on `self.held`/);
      assert.ok(
        f.related?.some((x) => x.message === 'a user-authorized tool it keeps is built here'),
        JSON.stringify(f.related),
      );
      none(r, 'OBO101');
    });
  }

  it('reports a plain list of user tools kept on self, and not one kept in a local', async () => {
    const kept = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        predict: `${USER_TOOL}self.tools = [tool]\nreturn None`,
      }),
    });
    assertAt(kept, only(kept, 'OBO102'), 'self.tools =');
    const local = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        predict: `${USER_TOOL}tools = [tool]\nreturn tools`,
      }),
    });
    none(local, 'OBO102');
  });

  it('an in-house holder from the user catalog (holdsTools) is reported the same way', async () => {
    const { catalog, problems } = extendCatalog(BUILTIN_CATALOG, {
      consumers: [
        {
          callees: ['acme.agents.make_agent'],
          clientParam: { keyword: 'tools', position: 1 },
          holdsTools: true,
        },
      ],
    });
    assert.deepEqual(problems, []);
    const project = await createProject({ catalog });
    const file = '/proj/agent.py';
    project.setDocument({
      path: file,
      text: agent({
        extraImports: `${HOLDER_IMPORTS}\nfrom acme.agents import make_agent`,
        predict: `${USER_TOOL}self.held = make_agent(llm, [tool])\nreturn None`,
      }),
    });
    const found = project.findingsFor(file).filter((f) => f.code === 'OBO102');
    assert.equal(found.length, 1, summary(project.findingsFor(file)));
    assert.match(found[0].message, /holding user-authorized tools/);
  });

  it('reports tools appended to a list, as the Databricks docs build them', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        predict: `${USER_TOOL}tools = []\ntools.append(tool)\nself.executor = AgentExecutor(agent=llm, tools=tools)\nreturn None`,
      }),
    });
    assertAt(r, only(r, 'OBO102'), 'self.executor =');
  });

  // The same rows with the tool as the argument itself, which the engine already follows: checks every row's import
  // path, keyword and position.
  const DIRECT: Record<string, string> = {
    'AgentExecutor(tools=)': 'AgentExecutor(agent=llm, tools=tool)',
    'AgentExecutor.from_agent_and_tools(agent, tools)': 'AgentExecutor.from_agent_and_tools(llm, tool)',
    'create_react_agent(model, tools)': 'create_react_agent(llm, tool)',
    'create_react_agent(model, tools=)': 'create_react_agent(llm, tools=tool)',
    'create_agent(model, tools)': 'create_agent(llm, tool)',
    'ToolNode(tools)': 'ToolNode(tool)',
    'create_react_agent(model, ToolNode(tools))': 'create_react_agent(llm, ToolNode(tool))',
  };
  for (const [name, call] of Object.entries(DIRECT)) {
    it(`reports ${name} given a user tool and kept on self`, async () => {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          predict: `${USER_TOOL}self.held = ${call}\nreturn None`,
        }),
      });
      const f = only(r, 'OBO102');
      assertAt(r, f, 'self.held =');
      assert.match(f.message, /\(holding user-authorized tools\) is kept on `self.held`/);
      assert.deepEqual(
        f.related?.map((x) => x.message),
        ['it is built here', 'a user-authorized tool it keeps is built here'],
      );
      none(r, 'OBO101');
    });
  }

  it('reports a holder kept in a module global from predict', async () => {
    const r = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        top: 'GRAPH = None\n',
        predict: `global GRAPH\n${USER_TOOL}GRAPH = create_react_agent(llm, tool)\nreturn GRAPH`,
      }),
    });
    assert.match(only(r, 'OBO102').message, /`create_react_agent` \(holding user-authorized tools\)/);
  });

  it('is silent for a holder built and used inside predict only', async () => {
    for (const tools of ['[tool]', 'tool']) {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          predict: `${USER_TOOL}executor = AgentExecutor(agent=llm, tools=${tools})\nreturn executor.invoke(request)`,
        }),
      });
      none(r, 'OBO102');
      none(r, 'OBO101');
    }
  });

  it('is silent for a holder of system-authorized tools kept on self', async () => {
    for (const tools of ['[tool]', 'tool']) {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          init: py`
            tool = VectorSearchRetrieverTool(index_name="main.docs.idx")
            self.graph = create_react_agent(ChatDatabricks(endpoint="databricks-claude"), ${tools})
          `,
          predict: 'return self.graph.invoke(request)',
        }),
      });
      none(r, 'OBO102');
      none(r, 'OBO101');
    }
  });

  it('built in __init__ from user tools: only the OBO101 of the client and the tool, nothing on the holder', async () => {
    for (const tools of ['[tool]', 'tool']) {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          init: `${USER_TOOL}self.executor = AgentExecutor(agent=llm, tools=${tools})`,
          predict: 'return self.executor.invoke(request)',
        }),
      });
      assert.deepEqual(
        r.code('OBO101').map((f) => f.message.slice(0, f.message.indexOf(' ('))),
        ['`WorkspaceClient`', '`VectorSearchRetrieverTool`'],
        summary(r.all),
      );
      // The user client itself is not kept on self here, so nothing else is reported.
      none(r, 'OBO102');
    }
  });
});

// Issue 9, pattern 1: one mistake, one finding. A user client built at load and kept on self is one mistake (built at
// the wrong time); OBO101 reports it with the path, and OBO102 is left for what OBO101 does not cover.
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
describe('OBO102 user-authorized tools kept in a container on the agent', () => {
  const KEPT: Record<string, [string, string]> = {
    'self._tools[name] = tool': ['self._tools[request.name] = tool', 'self._tools[request.name] ='],
    'self._tools.append(tool)': ['self._tools.append(tool)', 'self._tools.append(tool)'],
    'self.cache["c"] = user_client': ['self.cache["c"] = user_client', 'self.cache["c"] ='],
  };
  for (const [name, [line, at]] of Object.entries(KEPT)) {
    it(`reports ${name} inside predict`, async () => {
      const r = await analyse({
        'agent.py': agent({
          extraImports: HOLDER_IMPORTS,
          init: 'self._tools = {}\nself.cache = {}',
          predict: `${USER_TOOL}${line}\nreturn None`,
        }),
      });
      const f = only(r, 'OBO102');
      assertAt(r, f, at);
      assert.match(f.message, /is kept on `self\./);
      none(r, 'OBO101');
    });
  }

  it('is silent for a local container, and for system-authorized tools kept on self', async () => {
    const local = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        predict: `${USER_TOOL}tools = {}\ntools["vs"] = tool\ntools_list = []\ntools_list.append(tool)\nreturn tools`,
      }),
    });
    none(local, 'OBO102');
    const system = await analyse({
      'agent.py': agent({
        extraImports: HOLDER_IMPORTS,
        init: 'self._tools = {}',
        predict: 'self._tools["vs"] = VectorSearchRetrieverTool(index_name="main.docs.idx")\nreturn None',
      }),
    });
    none(system, 'OBO102');
  });
});

// Issue 9, pattern 8 (variant): a tool that holds the per-request user client through a closure, built by a local
// helper and kept on the shared agent. The inference is indirect, so it is a warning; plain data is no client.
describe('OBO102 through an object that holds the user client', () => {
  const helper = (returns: string) => py`
    from pydantic import BaseModel
    from typing import Callable

    class ToolInfo(BaseModel):
        name: str
        exec_fn: Callable

    def create_whoami_tool(user_client):
        def execute_whoami(**kwargs):
            return user_client.current_user.me().user_name
        ${returns}
  `;
  const TOOL = 'return ToolInfo(name="whoami", exec_fn=execute_whoami)';
  const predict = (keep: string) =>
    `user_client = ${USER_CLIENT}\ntool = create_whoami_tool(user_client)\n${keep}\nreturn None`;

  it('a tool whose exec_fn closes over the user client, kept in a dict on self: OBO102 warning', async () => {
    const r = await analyse({
      'agent.py': agent({ top: helper(TOOL), predict: predict('self._tools_dict = {tool.name: tool}') }),
    });
    const f = only(r, 'OBO102');
    assert.equal(f.severity, 'warning');
    assertAt(r, f, 'self._tools_dict = {tool.name: tool}');
    assert.match(f.message, /holds/);
  });

  it('the closure itself kept on self: OBO102 warning', async () => {
    const r = await analyse({
      'agent.py': agent({ top: helper('return execute_whoami'), predict: predict('self._run = tool') }),
    });
    assert.equal(only(r, 'OBO102').severity, 'warning');
  });

  it('kept in a local, or only plain data kept on self: silent', async () => {
    const local = await analyse({
      'agent.py': agent({ top: helper(TOOL), predict: predict('tools = {tool.name: tool}') }),
    });
    assert.deepEqual(local.all, [], summary(local.all));
    const data = await analyse({
      'agent.py': agent({
        top: helper('return user_client.current_user.me().user_name'),
        predict: predict('self._who = tool'),
      }),
    });
    assert.deepEqual(data.all, [], summary(data.all));
  });
});
