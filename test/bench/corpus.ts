// Generated inputs for the benchmarks: realistic agent projects (four shapes, .py and notebooks) and plain Python modules.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCOPES = [
  'serving.serving-endpoints',
  'dashboards.genie',
  'vectorsearch.vector-search-indexes',
  'mcp.genie',
];

function agentModule(i: number): string {
  const shape = i % 4;
  const imports = [
    'from typing import Generator',
    'import mlflow',
    'from databricks.sdk import WorkspaceClient',
    'from databricks_ai_bridge import ModelServingUserCredentials',
    'from databricks_langchain import ChatDatabricks, VectorSearchRetrieverTool',
    'from databricks_langchain.genie import GenieAgent',
    'from databricks_mcp import DatabricksMCPClient',
    'from mlflow.pyfunc import ResponsesAgent',
    'from mlflow.types.responses import ResponsesAgentRequest, ResponsesAgentResponse',
    'from tools import build_prompt, shorten',
  ];
  const consts = [
    `LLM_ENDPOINT_NAME = "databricks-llm-${i}"`,
    `GENIE_SPACE_ID = "01f0${String(i).padStart(28, '0')}"`,
    `INDEX_NAME = "main.agents.docs_${i}"`,
    'llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)',
  ];
  const topLevelMistake =
    shape === 2
      ? ['', 'user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())']
      : [];
  const body = [
    '',
    '',
    'def make_tools(client):',
    '    tools = []',
    '    try:',
    '        tools.append(VectorSearchRetrieverTool(index_name=INDEX_NAME, workspace_client=client))',
    '    except Exception as e:',
    '        print(f"skipping vector search: {e}")',
    '    return tools',
    '',
    '',
    `class Agent${i}(ResponsesAgent):`,
    '    def __init__(self):',
    '        self.prompt = build_prompt("support")',
    '',
    '    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:',
    shape === 2
      ? '        client = user_client'
      : '        client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
    '        question = shorten(request.input[-1].content)',
    shape === 1
      ? '        answer = GenieAgent(genie_space_id=GENIE_SPACE_ID, client=client).invoke(question)'
      : shape === 3
        ? '        answer = DatabricksMCPClient(server_url=f"{client.config.host}/api/2.0/mcp/genie/{GENIE_SPACE_ID}", workspace_client=client).list_tools()'
        : '        answer = client.serving_endpoints.query(name=LLM_ENDPOINT_NAME, inputs=[question])',
    '        tools = make_tools(client)',
    '        return ResponsesAgentResponse(output=[self.create_text_output_item(str(answer), f"{len(tools)}")])',
    '',
    '',
    `AGENT = Agent${i}()`,
    'mlflow.models.set_model(AGENT)',
    '',
  ];
  return [...imports, '', ...consts, ...topLevelMistake, ...body].join('\n');
}

function driverModule(i: number): string {
  const scopes = SCOPES.slice(0, 1 + (i % SCOPES.length))
    .map((s) => `"${s}"`)
    .join(', ');
  return [
    'import mlflow',
    'from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy',
    'from mlflow.models.resources import DatabricksServingEndpoint',
    'from agent import LLM_ENDPOINT_NAME',
    '',
    'system_policy = SystemAuthPolicy(resources=[DatabricksServingEndpoint(endpoint_name=LLM_ENDPOINT_NAME)])',
    `user_policy = UserAuthPolicy(api_scopes=[${scopes}])`,
    '',
    'with mlflow.start_run():',
    '    mlflow.pyfunc.log_model(',
    `        name="agent_${i}",`,
    '        python_model="agent.py",',
    '        auth_policy=AuthPolicy(system_auth_policy=system_policy, user_auth_policy=user_policy),',
    '    )',
    '',
  ].join('\n');
}

const TOOLS = [
  '"""Helpers shared by the agent: nothing Databricks-specific."""',
  '',
  '',
  'def build_prompt(kind: str) -> str:',
  '    return f"You are a {kind} assistant. Answer briefly."',
  '',
  '',
  'def shorten(text: str, limit: int = 2000) -> str:',
  '    return text if len(text) <= limit else text[: limit - 1] + "…"',
  '',
].join('\n');

/** A notebook holding the agent in a %%writefile cell and the log call in a later cell. */
function notebook(i: number): string {
  const lines = (t: string) => t.split('\n').map((l, k, all) => (k < all.length - 1 ? l + '\n' : l));
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: lines(`# Agent ${i}`) },
    {
      cell_type: 'code',
      metadata: {},
      outputs: [],
      source: lines('%pip install -U mlflow databricks-sdk\n%restart_python'),
    },
    {
      cell_type: 'code',
      metadata: {},
      outputs: [],
      source: lines(`%%writefile agent.py\n${agentModule(i)}`),
    },
    { cell_type: 'code', metadata: {}, outputs: [], source: lines(driverModule(i)) },
  ];
  return JSON.stringify({
    cells,
    metadata: { language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** Files of one agent project (relative path → text): agent + logging script + helpers, every fifth as a notebook. */
export function agentProject(i: number): Record<string, string> {
  if (i % 5 === 4) {
    return { 'notebook.ipynb': notebook(i), 'tools.py': TOOLS };
  }
  return { 'agent.py': agentModule(i), 'driver.py': driverModule(i), 'tools.py': TOOLS };
}

/** A plain module of roughly 1–4 KB with no agent code: what most of a repository is. */
export function plainModule(i: number): string {
  const out = [
    `"""Module ${i}: data helpers."""`,
    'import json',
    'import os',
    'from dataclasses import dataclass',
    '',
  ];
  for (let k = 0; k < 2 + (i % 5); k++) {
    out.push(
      '',
      '@dataclass',
      `class Record${k}:`,
      '    name: str',
      '    size: int = 0',
      '',
      '    def describe(self) -> str:',
      `        return f"{self.name} ({self.size} bytes, #${k})"`,
      '',
      '',
      `def load_${k}(folder: str) -> list[Record${k}]:`,
      '    records = []',
      '    for entry in sorted(os.listdir(folder)):',
      '        full = os.path.join(folder, entry)',
      '        if os.path.isfile(full) and entry.endswith(".json"):',
      '            with open(full) as f:',
      `                records.append(Record${k}(json.load(f).get("name", entry), os.path.getsize(full)))`,
      '    return records',
    );
  }
  return out.join('\n') + '\n';
}

/** Writes files (relative path → text) under a new temporary folder and returns it. */
export function writeTree(prefix: string, files: Iterable<[string, string]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const made = new Set<string>();
  for (const [rel, text] of files) {
    const full = path.join(root, rel);
    const dir = path.dirname(full);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(full, text);
  }
  return root;
}
