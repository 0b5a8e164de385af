// Tools and clients built on a user client (Genie, vector search, MCP, LLMs...) and what they need (obo-facts.md §4, §5).
import type { Catalog } from '../types';
import {
  SERVING,
  VS_INDEXES,
  VS_ENDPOINTS,
  SQL_STATEMENTS,
  SQL_WAREHOUSES,
  GENIE,
  AI_GATEWAY_FLAGS,
} from './names';

export const CONSUMERS: Pick<Catalog, 'consumers'> = {
  consumers: [
    {
      id: 'vector-search-retriever-tool',
      callees: [
        'databricks_langchain.VectorSearchRetrieverTool',
        'databricks_langchain.vector_search_retriever_tool.VectorSearchRetrieverTool',
        'databricks_openai.VectorSearchRetrieverTool',
        'databricks_openai.vector_search_retriever_tool.VectorSearchRetrieverTool',
        'databricks_llamaindex.VectorSearchRetrieverTool',
      ],
      clientParam: { keyword: 'workspace_client' },
      needs: { required: [VS_INDEXES], mayUse: [VS_ENDPOINTS, SERVING] },
      resources: [{ resource: 'DatabricksVectorSearchIndex', from: { keyword: 'index_name' } }],
      callsOnConstruction: true,
      doc: 'Retriever tool over a Vector Search index; its constructor already reads the index (and may call an embedding endpoint).',
    },
    {
      id: 'databricks-vector-search',
      callees: [
        'databricks_langchain.DatabricksVectorSearch',
        'databricks_langchain.vectorstores.DatabricksVectorSearch',
      ],
      clientParam: { keyword: 'workspace_client' },
      needs: { required: [VS_INDEXES], mayUse: [VS_ENDPOINTS, SERVING] },
      resources: [{ resource: 'DatabricksVectorSearchIndex', from: { keyword: 'index_name', position: 0 } }],
      callsOnConstruction: true,
      doc: 'LangChain vector store over a Vector Search index.',
    },
    {
      id: 'genie-agent',
      callees: ['databricks_langchain.GenieAgent', 'databricks_langchain.genie.GenieAgent'],
      clientParam: { keyword: 'client' },
      needs: { required: [GENIE] },
      resources: [{ resource: 'DatabricksGenieSpace', from: { keyword: 'genie_space_id', position: 0 } }],
      wrongKeywords: {
        workspace_client: '`GenieAgent` takes the client as `client=`; `workspace_client=` is a TypeError',
      },
      callsOnConstruction: true,
      doc: 'LangChain agent that asks a Genie space; its constructor reads the space.',
    },
    {
      id: 'genie',
      callees: ['databricks_ai_bridge.genie.Genie', 'databricks_ai_bridge.Genie'],
      clientParam: { keyword: 'client', position: 1 },
      needs: { required: [GENIE] },
      resources: [{ resource: 'DatabricksGenieSpace', from: { keyword: 'space_id', position: 0 } }],
      wrongKeywords: {
        workspace_client: '`Genie` takes the client as `client=`; `workspace_client=` is a TypeError',
      },
      callsOnConstruction: true,
      doc: 'Genie conversation helper from databricks-ai-bridge.',
    },
    {
      id: 'databricks-mcp-client',
      callees: ['databricks_mcp.DatabricksMCPClient', 'databricks_mcp.mcp.DatabricksMCPClient'],
      clientParam: { keyword: 'workspace_client', position: 1 },
      needs: {},
      mcpUrl: { keyword: 'server_url', position: 0 },
      doc: 'MCP client for Databricks managed, external and custom MCP servers; scopes follow the server URL.',
    },
    {
      id: 'mcp-server',
      callees: [
        'databricks_langchain.DatabricksMCPServer',
        'databricks_openai.McpServerToolkit',
        'databricks_openai.agents.McpServer',
      ],
      clientParam: { keyword: 'workspace_client' },
      needs: {},
      mcpUrl: { keyword: 'url', position: 0 },
      // `databricks_openai.agents.McpServer` passes `**kwargs` on.
      openKeywords: true,
      doc: 'MCP server helper; scopes follow the server URL.',
    },
    {
      id: 'mcp-server-uc-functions',
      callees: [
        'databricks_langchain.DatabricksMCPServer.from_uc_function',
        'databricks_openai.McpServerToolkit.from_uc_function',
        'databricks_openai.agents.McpServer.from_uc_function',
      ],
      clientParam: { keyword: 'workspace_client' },
      needs: {},
      mcpKind: 'functions',
      doc: 'MCP server over Unity Catalog functions (`/api/2.0/mcp/functions/...`).',
    },
    {
      id: 'mcp-server-vector-search',
      callees: [
        'databricks_langchain.DatabricksMCPServer.from_vector_search',
        'databricks_openai.McpServerToolkit.from_vector_search',
        'databricks_openai.agents.McpServer.from_vector_search',
      ],
      clientParam: { keyword: 'workspace_client' },
      needs: {},
      mcpKind: 'vector-search',
      doc: 'MCP server over Vector Search indexes (`/api/2.0/mcp/vector-search/...`).',
    },
    {
      id: 'chat-databricks',
      callees: ['databricks_langchain.ChatDatabricks', 'databricks_langchain.chat_models.ChatDatabricks'],
      clientParam: { keyword: 'workspace_client' },
      needs: { required: [SERVING] },
      flagNeeds: AI_GATEWAY_FLAGS,
      resources: [
        { resource: 'DatabricksServingEndpoint', from: { keyword: 'endpoint', aliases: ['model'] } },
      ],
      wrongKeywords: {
        credentials_strategy:
          '`ChatDatabricks` has no `credentials_strategy` parameter: the model runs as the service identity. Its user ' +
          'credential goes in a `WorkspaceClient` passed as `workspace_client=`',
      },
      doc: 'LangChain chat model over a Model Serving endpoint.',
    },
    {
      id: 'databricks-openai',
      callees: ['databricks_openai.DatabricksOpenAI', 'databricks_openai.AsyncDatabricksOpenAI'],
      clientParam: { keyword: 'workspace_client' },
      needs: { required: [SERVING], mayUse: ['apps.apps'] },
      flagNeeds: AI_GATEWAY_FLAGS,
      doc: 'OpenAI client pointed at Model Serving (`{host}/serving-endpoints`).',
    },
    {
      id: 'databricks-embeddings',
      callees: ['databricks_langchain.DatabricksEmbeddings'],
      clientParam: { keyword: 'workspace_client' },
      needs: { required: [SERVING] },
      resources: [{ resource: 'DatabricksServingEndpoint', from: { keyword: 'endpoint', position: 0 } }],
      doc: 'LangChain embeddings over a Model Serving endpoint (uses system credentials).',
    },
    {
      id: 'uc-function-client',
      callees: [
        'unitycatalog.ai.core.databricks.DatabricksFunctionClient',
        'databricks_langchain.uc_ai.DatabricksFunctionClient',
        'databricks_openai.DatabricksFunctionClient',
      ],
      clientParam: { keyword: 'client', position: 0 },
      needs: { mayUse: ['unity-catalog', SQL_STATEMENTS, SQL_WAREHOUSES], confidence: 'unconfirmed' },
      doc: 'Unity Catalog function client; OBO access to UC functions is "not directly supported" by Databricks.',
    },
    {
      id: 'uc-function-toolkit',
      callees: [
        'unitycatalog.ai.langchain.toolkit.UCFunctionToolkit',
        'databricks_langchain.uc_ai.UCFunctionToolkit',
        'databricks_langchain.UCFunctionToolkit',
        'databricks_openai.UCFunctionToolkit',
      ],
      clientParam: { keyword: 'client' },
      needs: { mayUse: ['unity-catalog', SQL_STATEMENTS, SQL_WAREHOUSES], confidence: 'unconfirmed' },
      resources: [{ resource: 'DatabricksFunction', from: { keyword: 'function_names' } }],
      doc: 'Toolkit of Unity Catalog functions (system auth: declare each function).',
    },
    // Holders: framework objects that keep the tools they are given and run them on every later input, so one kept
    // beyond the request serves the next user with the previous user's tools. Signatures from the LangChain and
    // LangGraph API references. `bind_tools` is not one: it keeps only the tools' JSON schemas.
    {
      id: 'langchain-agent-executor',
      callees: [
        'langchain.agents.AgentExecutor',
        'langchain.agents.agent.AgentExecutor',
        'langchain_classic.agents.AgentExecutor',
        'langchain_classic.agents.agent.AgentExecutor',
      ],
      // A pydantic model: its fields are keyword-only.
      clientParam: { keyword: 'tools' },
      holdsTools: true,
      needs: {},
      doc: 'LangChain agent executor: keeps its tools and runs them for every input.',
    },
    {
      id: 'langchain-agent-executor-from-agent-and-tools',
      callees: [
        'langchain.agents.AgentExecutor.from_agent_and_tools',
        'langchain.agents.agent.AgentExecutor.from_agent_and_tools',
        'langchain_classic.agents.AgentExecutor.from_agent_and_tools',
        'langchain_classic.agents.agent.AgentExecutor.from_agent_and_tools',
      ],
      clientParam: { keyword: 'tools', position: 1 },
      holdsTools: true,
      needs: {},
      doc: 'LangChain agent executor built from an agent and its tools; keeps the tools.',
    },
    {
      id: 'langgraph-create-react-agent',
      callees: [
        'langgraph.prebuilt.create_react_agent',
        'langgraph.prebuilt.chat_agent_executor.create_react_agent',
      ],
      clientParam: { keyword: 'tools', position: 1 },
      holdsTools: true,
      needs: {},
      doc: 'LangGraph prebuilt ReAct agent: a compiled graph that keeps its tools (a list or a `ToolNode`).',
    },
    {
      id: 'langchain-create-agent',
      callees: ['langchain.agents.create_agent', 'langchain.agents.factory.create_agent'],
      clientParam: { keyword: 'tools', position: 1 },
      holdsTools: true,
      needs: {},
      doc: 'LangChain v1 agent: a compiled graph that keeps its tools.',
    },
    {
      id: 'langgraph-tool-node',
      callees: ['langgraph.prebuilt.ToolNode', 'langgraph.prebuilt.tool_node.ToolNode'],
      clientParam: { keyword: 'tools', position: 0 },
      holdsTools: true,
      needs: {},
      doc: 'LangGraph node that runs the tool calls of the last message with the tools it keeps.',
    },
  ],
};
