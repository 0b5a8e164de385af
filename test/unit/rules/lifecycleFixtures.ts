// Agent texts the OBO101/OBO102 tests build on: imports, an agent template, user-client snippets, tool holders.
import { py } from '../helpers';

export const IMPORTS = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from mlflow.pyfunc import ResponsesAgent
`;

/** An agent module: imports, top-level code, then a ResponsesAgent whose predict runs `predict` lines. */
export function agent(parts: {
  top?: string;
  init?: string;
  predict?: string;
  extraImports?: string;
}): string {
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

export const USER_CLIENT = 'WorkspaceClient(credentials_strategy=ModelServingUserCredentials())';

// The documentation snippets of seeds 002/004 (Chinese/Japanese copies of the OBO docs page), with the imports
// each needs. Every one builds a user-authorized client; some build a tool on it.
export const SNIPPETS: Record<string, { imports: string; body: string; constructs: string[] }> = {
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

export const HOLDER_IMPORTS = py`
  from databricks_langchain import ChatDatabricks, VectorSearchRetrieverTool
  from langchain.agents import AgentExecutor, create_agent
  from langgraph.prebuilt import ToolNode, create_react_agent
`;

/** A user client, a retriever tool on it and a chat model, as the Databricks OBO docs build them in predict. */
export const USER_TOOL = py`
  user_client = ${USER_CLIENT}
  tool = VectorSearchRetrieverTool(index_name="main.docs.idx", workspace_client=user_client)
  llm = ChatDatabricks(endpoint="databricks-claude")
`;

// Frameworks take tools in a list or tuple, often built with `tools.append(tool)` (the Databricks docs snippet): the
// interpreter looks into list values and follows append/extend/insert on a plain name.
