// OBO102: a user-authorized client or tool kept past its request (cached, on the agent, in a container, in a holder).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyse, assertAt, none, only, py, summary } from '../helpers';
import { createProject } from '../../../server/src/analyser/analyse';
import { BUILTIN_CATALOG } from '../../../server/src/catalog/data';
import { extendCatalog } from '../../../server/src/catalog/extend';
import { agent, USER_CLIENT, HOLDER_IMPORTS, USER_TOOL } from './lifecycleFixtures';

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

  it("a method does not keep its class body's names (Python does not show them to it): silent", async () => {
    const r = await analyse({
      'agent.py': agent({
        top: py`
          def make():
              class Local:
                  user = ${USER_CLIENT}

                  def helper(self):
                      return user

              return Local.helper
        `,
        predict: 'Agent.cache = make()\nreturn None',
      }),
    });
    none(r, 'OBO102');
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
