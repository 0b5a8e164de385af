// The built-in catalog: every OBO fact the analyser knows, as table rows (sources: shared docs, obo-facts.md §1–§8).
import type { Catalog } from './types';

const SERVING = 'serving.serving-endpoints';
const VS_INDEXES = 'vectorsearch.vector-search-indexes';
const VS_ENDPOINTS = 'vectorsearch.vector-search-endpoints';
const SQL_STATEMENTS = 'sql.statement-execution';
const SQL_WAREHOUSES = 'sql.warehouses';
const CONNECTIONS = 'catalog.connections';
const GENIE = 'dashboards.genie';
/** ChatDatabricks / DatabricksOpenAI with a gateway flag call `{host}/ai-gateway/...` instead of serving endpoints. */
const AI_GATEWAY_FLAGS = {
  keywords: ['use_ai_gateway', 'use_ai_gateway_native_api'],
  needs: { required: ['ai-gateway'], confidence: 'unconfirmed' as const },
  label: 'AI Gateway',
};

const MSUC = [
  'databricks_ai_bridge.ModelServingUserCredentials',
  'databricks_ai_bridge.model_serving_obo_credential_strategy.ModelServingUserCredentials',
  'databricks.sdk.credentials_provider.ModelServingUserCredentials',
];
const USER_AUTH_POLICY = ['mlflow.models.auth_policy.UserAuthPolicy', 'mlflow.models.UserAuthPolicy'];
const VS_STRATEGY = [
  'databricks.vector_search.utils.CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS',
  'databricks.ai_search.utils.CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS',
];

export const BUILTIN_CATALOG: Catalog = {
  scopes: [
    {
      name: SERVING,
      family: 'documented',
      shortName: 'model-serving',
      grants: 'Query Model Serving endpoints as the user (chat models, embeddings, other agents).',
    },
    {
      name: 'model-serving',
      family: 'short',
      covers: [SERVING],
      grants: 'Short name of `serving.serving-endpoints`: query Model Serving endpoints as the user.',
    },
    {
      name: VS_INDEXES,
      family: 'documented',
      shortName: 'vector-search',
      grants: 'Read and query Vector Search indexes as the user.',
    },
    {
      name: VS_ENDPOINTS,
      family: 'documented',
      shortName: 'vector-search',
      grants: 'Read Vector Search endpoints as the user.',
    },
    {
      name: 'vector-search',
      family: 'short',
      covers: [VS_INDEXES, VS_ENDPOINTS],
      grants: 'Short name covering Vector Search indexes and endpoints.',
    },
    {
      name: SQL_STATEMENTS,
      family: 'documented',
      shortName: 'sql',
      grants: 'Run SQL statements on a warehouse as the user (`POST /api/2.0/sql/statements`).',
    },
    {
      name: SQL_WAREHOUSES,
      family: 'documented',
      shortName: 'sql',
      grants: 'Read and use SQL warehouses as the user.',
    },
    {
      name: 'sql',
      family: 'short',
      covers: [SQL_STATEMENTS, SQL_WAREHOUSES],
      grants: 'Parent scope covering every `sql.*` scope (statement execution, warehouses).',
    },
    {
      name: CONNECTIONS,
      family: 'single',
      grants: 'Use Unity Catalog connections as the user (external HTTP calls through `http_request`).',
    },
    {
      name: GENIE,
      family: 'documented',
      shortName: 'genie',
      grants: 'Ask Genie spaces questions as the user (conversations, messages, query results).',
    },
    {
      name: 'genie',
      family: 'short',
      covers: [GENIE],
      grants: 'Short name of `dashboards.genie`: use Genie spaces as the user.',
    },
    {
      name: 'mcp.genie',
      family: 'single',
      grants: 'Call the managed Genie MCP server (`/api/2.0/mcp/genie/{space_id}`).',
    },
    {
      name: 'mcp.functions',
      family: 'single',
      grants: 'Call the managed Unity Catalog functions MCP server (`/api/2.0/mcp/functions/...`).',
    },
    {
      name: 'mcp.vectorsearch',
      family: 'single',
      grants: 'Call the managed Vector Search MCP server (`/api/2.0/mcp/vector-search/...`).',
    },
    { name: 'mcp.sql', family: 'single', grants: 'Call the managed DBSQL MCP server (`/api/2.0/mcp/sql`).' },
    {
      name: 'mcp.external',
      family: 'single',
      grants: 'Call an external MCP server through a UC connection (`/api/2.0/mcp/external/{connection}`).',
    },
    {
      name: 'iam.current-user:read',
      family: 'single',
      grants: 'Read the calling user (`GET /api/2.0/preview/scim/v2/Me`).',
    },
    { name: 'iam.access-control:read', family: 'single', grants: 'Read access-control lists.' },
    {
      name: 'ai-gateway',
      family: 'single',
      grants: 'Call AI Gateway routes (`{host}/ai-gateway/...`).',
      caveat: 'listed in the allowlist snapshot, but reported rejected at deploy by databricks-agents 1.11.0',
    },
    {
      name: 'unity-catalog',
      family: 'single',
      grants: 'Unity Catalog objects (tables, functions); what it grants is not confirmed by Databricks.',
      caveat: 'what this scope grants is not documented',
    },
    {
      name: 'apps.apps',
      family: 'documented',
      shortName: 'apps',
      grants: 'Call Databricks Apps as the user.',
    },
    { name: 'apps', family: 'short', covers: ['apps.apps'], grants: 'Short name of `apps.apps`.' },
    {
      name: 'workspace.workspace',
      family: 'single',
      grants: 'Workspace objects (notebooks, files in the workspace tree).',
    },
  ],
  rejectedScopes: [
    { name: 'serving-endpoints', reason: 'is not a scope name', suggest: SERVING },
    { name: 'catalog.catalogs:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'catalog.schemas:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'catalog.tables:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'files', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
    { name: 'files.files', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
    { name: 'postgres', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
  ],
  userClients: [
    {
      id: 'workspace-client',
      callees: ['databricks.sdk.WorkspaceClient'],
      clientKind: 'workspace',
      credentialKeyword: 'credentials_strategy',
      credentialValues: MSUC,
      wrongKeywords: {
        credential_strategy:
          '`WorkspaceClient` has no `credential_strategy` parameter (that is `VectorSearchClient`): TypeError',
        credentials_provider: '`credentials_provider` is the deprecated alias of `credentials_strategy`',
      },
      configKeyword: 'config',
      doc: 'Databricks SDK client; with `ModelServingUserCredentials` it acts as the user who queries the agent.',
    },
    {
      id: 'sdk-config',
      callees: ['databricks.sdk.core.Config', 'databricks.sdk.config.Config', 'databricks.sdk.Config'],
      clientKind: 'config',
      credentialKeyword: 'credentials_strategy',
      credentialValues: MSUC,
      wrongKeywords: {
        credential_strategy: '`Config` has no `credential_strategy` parameter: use `credentials_strategy`',
      },
      doc: 'SDK configuration carrying user credentials; a `WorkspaceClient(config=...)` built on it is a user client.',
    },
    {
      id: 'vector-search-client',
      callees: [
        'databricks.vector_search.client.VectorSearchClient',
        'databricks.ai_search.client.VectorSearchClient',
        'databricks.ai_search.client.AISearchClient',
      ],
      clientKind: 'vectorSearch',
      credentialKeyword: 'credential_strategy',
      credentialValues: VS_STRATEGY,
      wrongKeywords: {
        credentials_strategy:
          '`VectorSearchClient` takes `credential_strategy` (singular); `credentials_strategy` is ignored or rejected',
      },
      doc: 'Vector Search client; with `CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS` it acts as the user.',
    },
  ],
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
  methods: [
    {
      id: 'serving-query',
      clientKind: 'workspace',
      path: 'serving_endpoints.query',
      needs: { required: [SERVING] },
      resources: [{ resource: 'DatabricksServingEndpoint', from: { keyword: 'name', position: 0 } }],
      doc: '`POST /serving-endpoints/{name}/invocations`',
    },
    {
      id: 'serving-openai',
      clientKind: 'workspace',
      path: 'serving_endpoints.get_open_ai_client',
      needs: { required: [SERVING] },
      doc: 'OpenAI client on `{host}/serving-endpoints`',
    },
    {
      id: 'serving-langchain',
      clientKind: 'workspace',
      path: 'serving_endpoints.get_langchain_chat_open_ai_client',
      needs: { required: [SERVING] },
      resources: [{ resource: 'DatabricksServingEndpoint', from: { keyword: 'model', position: 0 } }],
      doc: 'LangChain chat client on `{host}/serving-endpoints`',
    },
    {
      id: 'serving-http-request',
      clientKind: 'workspace',
      path: 'serving_endpoints.http_request',
      needs: { required: [CONNECTIONS, SERVING] },
      resources: [{ resource: 'DatabricksUCConnection', from: { keyword: 'conn', position: 0 } }],
      doc: '`POST /api/2.0/external-function` through a UC connection',
    },
    {
      id: 'statement-execution',
      clientKind: 'workspace',
      path: 'statement_execution.*',
      needs: { required: [SQL_STATEMENTS], mayUse: [SQL_WAREHOUSES] },
      resources: [{ resource: 'DatabricksSQLWarehouse', from: { keyword: 'warehouse_id' } }],
      doc: '`/api/2.0/sql/statements`',
    },
    {
      id: 'warehouses',
      clientKind: 'workspace',
      path: 'warehouses.*',
      needs: { required: [SQL_WAREHOUSES] },
      resources: [{ resource: 'DatabricksSQLWarehouse', from: { keyword: 'id', position: 0 } }],
      doc: '`/api/2.0/sql/warehouses`',
    },
    {
      id: 'genie-api',
      clientKind: 'workspace',
      path: 'genie.*',
      needs: { required: [GENIE] },
      resources: [{ resource: 'DatabricksGenieSpace', from: { keyword: 'space_id', position: 0 } }],
      doc: '`/api/2.0/genie/spaces/...`',
    },
    {
      id: 'vector-search-indexes',
      clientKind: 'workspace',
      path: 'vector_search_indexes.*',
      needs: { required: [VS_INDEXES] },
      resources: [{ resource: 'DatabricksVectorSearchIndex', from: { keyword: 'index_name', position: 0 } }],
      doc: '`/api/2.0/vector-search/indexes/...`',
    },
    {
      id: 'vector-search-endpoints',
      clientKind: 'workspace',
      path: 'vector_search_endpoints.*',
      needs: { required: [VS_ENDPOINTS] },
      doc: '`/api/2.0/vector-search/endpoints/...`',
    },
    {
      id: 'connections',
      clientKind: 'workspace',
      path: 'connections.*',
      needs: { required: [CONNECTIONS] },
      doc: '`/api/2.1/unity-catalog/connections/...`',
    },
    {
      id: 'current-user',
      clientKind: 'workspace',
      path: 'current_user.me',
      needs: { required: ['iam.current-user:read'], confidence: 'unconfirmed' },
      doc: '`GET /api/2.0/preview/scim/v2/Me` (whether serving grants it automatically is not confirmed)',
    },
    {
      id: 'uc-tables',
      clientKind: 'workspace',
      path: 'tables.*',
      needs: { required: ['unity-catalog'], confidence: 'unconfirmed' },
      resources: [{ resource: 'DatabricksTable', from: { keyword: 'full_name', position: 0 } }],
      doc: '`/api/2.1/unity-catalog/tables/...` (OBO for UC tables is "not directly supported")',
    },
    {
      id: 'uc-functions',
      clientKind: 'workspace',
      path: 'functions.*',
      needs: { required: ['unity-catalog'], confidence: 'unconfirmed' },
      resources: [{ resource: 'DatabricksFunction', from: { keyword: 'name', position: 0 } }],
      doc: '`/api/2.1/unity-catalog/functions/...` (OBO for UC functions is "not directly supported")',
    },
    {
      id: 'apps',
      clientKind: 'workspace',
      path: 'apps.*',
      needs: { required: ['apps.apps'] },
      resources: [{ resource: 'DatabricksApp', from: { keyword: 'name', position: 0 } }],
      doc: '`/api/2.0/apps/...`',
    },
    {
      id: 'vs-client-index',
      clientKind: 'vectorSearch',
      path: 'get_index',
      needs: { required: [VS_INDEXES], mayUse: [VS_ENDPOINTS, SERVING] },
      resources: [{ resource: 'DatabricksVectorSearchIndex', from: { keyword: 'index_name', position: 1 } }],
      doc: '`GET /api/2.0/vector-search/indexes/{name}`',
    },
    {
      id: 'vs-client-indexes',
      clientKind: 'vectorSearch',
      path: 'list_indexes',
      needs: { required: [VS_INDEXES] },
      doc: '`GET /api/2.0/vector-search/indexes`',
    },
    {
      id: 'vs-client-endpoints',
      clientKind: 'vectorSearch',
      path: '*_endpoint*',
      needs: { required: [VS_ENDPOINTS] },
      doc: '`/api/2.0/vector-search/endpoints/...`',
    },
  ],
  mcpPaths: [
    {
      kind: 'genie',
      pattern: '^/api/2\\.0/mcp/genie/([^/]+)$',
      needs: { required: ['mcp.genie'] },
      resource: 'DatabricksGenieSpace',
      doc: 'managed Genie space MCP server',
    },
    {
      kind: 'genie-one',
      pattern: '^/api/2\\.0/mcp/genie$',
      // Documented as `genie`, the short name of `dashboards.genie`; needs are written in the documented family.
      needs: { required: [GENIE], confidence: 'unconfirmed' },
      doc: 'Genie One MCP server (Beta)',
    },
    {
      kind: 'functions',
      pattern: '^/api/2\\.0/mcp/functions/[^/]+/[^/]+(?:/([^/]+))?$',
      needs: { required: ['mcp.functions'] },
      doc: 'managed Unity Catalog functions MCP server',
    },
    {
      kind: 'vector-search',
      pattern: '^/api/2\\.0/mcp/(?:vector-search|ai-search)/[^/]+/[^/]+(?:/([^/]+))?$',
      needs: { required: ['mcp.vectorsearch'] },
      doc: 'managed Vector Search MCP server',
    },
    {
      kind: 'sql',
      pattern: '^/api/2\\.0/mcp/sql$',
      needs: { required: ['mcp.sql', SQL_WAREHOUSES, SQL_STATEMENTS] },
      doc: 'managed DBSQL MCP server',
    },
    {
      kind: 'external',
      pattern: '^/api/2\\.0/mcp/external/([^/]+)$',
      needs: { required: ['mcp.external'] },
      resource: 'DatabricksUCConnection',
      doc: 'external MCP server through a UC connection',
    },
  ],
  resources: [
    { name: 'DatabricksServingEndpoint', param: 'endpoint_name', type: 'serving_endpoint' },
    { name: 'DatabricksVectorSearchIndex', param: 'index_name', type: 'vector_search_index' },
    { name: 'DatabricksSQLWarehouse', param: 'warehouse_id', type: 'sql_warehouse' },
    { name: 'DatabricksFunction', param: 'function_name', type: 'function' },
    { name: 'DatabricksGenieSpace', param: 'genie_space_id', type: 'genie_space' },
    { name: 'DatabricksTable', param: 'table_name', type: 'table' },
    { name: 'DatabricksUCConnection', param: 'connection_name', type: 'uc_connection' },
    { name: 'DatabricksApp', param: 'app_name', type: 'app' },
    { name: 'DatabricksLakebase', param: 'database_instance_name', type: 'lakebase' },
  ],
  missingApis: [
    {
      name: 'databricks_openai.GenieAgent',
      replacement: 'databricks_langchain.GenieAgent',
      why: '`databricks_openai` has no `GenieAgent`: it exists only in `databricks_langchain`',
    },
    {
      name: 'databricks_ai_bridge.utils.auth.ModelServingUserCredentials',
      replacement: 'databricks_ai_bridge.ModelServingUserCredentials',
      why: '`databricks_ai_bridge.utils.auth` does not exist (ModuleNotFoundError)',
      meant: true,
    },
    {
      name: 'databricks.sdk.credentials.ModelServingUserCredentials',
      replacement: 'databricks.sdk.credentials_provider.ModelServingUserCredentials',
      why: '`databricks.sdk.credentials` does not exist (ModuleNotFoundError): the SDK keeps its credential strategies in `databricks.sdk.credentials_provider`',
      meant: true,
    },
    {
      // obo-facts §4b: the Unity Catalog function resource is `DatabricksFunction(function_name=...)`.
      name: 'mlflow.models.resources.DatabricksUCFunction',
      replacement: 'mlflow.models.resources.DatabricksFunction',
      why: '`mlflow.models.resources` has no `DatabricksUCFunction` (ImportError): the Unity Catalog function resource is `DatabricksFunction`',
      meant: true,
    },
  ],
  legacyImports: [
    {
      legacy: 'databricks.sdk.credentials_provider.ModelServingUserCredentials',
      current: 'databricks_ai_bridge.ModelServingUserCredentials',
      why: "the databricks-ai-bridge version is the one Databricks now recommends: it asks Model Serving for the request's token",
    },
    {
      legacy: 'databricks.vector_search.client.VectorSearchClient',
      current: 'databricks.ai_search.client.VectorSearchClient',
      why: '`databricks-vectorsearch` was renamed `databricks-ai-search`',
    },
    {
      legacy: 'databricks.vector_search.utils.CredentialStrategy',
      current: 'databricks.ai_search.utils.CredentialStrategy',
      why: '`databricks-vectorsearch` was renamed `databricks-ai-search`',
    },
  ],
  agentBases: [
    'mlflow.pyfunc.ResponsesAgent',
    'mlflow.pyfunc.ChatAgent',
    'mlflow.pyfunc.ChatModel',
    'mlflow.pyfunc.PythonModel',
    'mlflow.pyfunc.model.PythonModel',
    'mlflow.pyfunc.model.ChatModel',
    'mlflow.pyfunc.model.ChatAgent',
    'mlflow.pyfunc.model.ResponsesAgent',
    'mlflow.pyfunc.responses_agent.ResponsesAgent',
  ],
  requestMethods: [
    'predict',
    'predict_stream',
    'apredict',
    'apredict_stream',
    'predict_async',
    'predict_stream_async',
  ],
  initMethods: ['__init__', 'load_context'],
  cachingDecorators: [
    'functools.lru_cache',
    'functools.cache',
    'functools.cached_property',
    'cachetools.cached',
    'streamlit.cache_resource',
  ],
  logModelFunctions: [
    { name: 'mlflow.pyfunc.log_model', model: { keyword: 'python_model' } },
    { name: 'mlflow.langchain.log_model', model: { keyword: 'lc_model', position: 0 } },
    { name: 'mlflow.openai.log_model', model: { keyword: 'model', position: 0 } },
  ],
  setModelFunctions: ['mlflow.models.set_model', 'mlflow.models.model.set_model'],
  authPolicyClass: ['mlflow.models.auth_policy.AuthPolicy', 'mlflow.models.AuthPolicy'],
  userAuthPolicyClass: USER_AUTH_POLICY,
  systemAuthPolicyClass: ['mlflow.models.auth_policy.SystemAuthPolicy', 'mlflow.models.SystemAuthPolicy'],
  policies: [
    {
      id: 'user-auth-policy',
      callees: USER_AUTH_POLICY,
      keyword: 'api_scopes',
      wrongKeywords: { scopes: '`UserAuthPolicy` takes `api_scopes`: `scopes=` is a TypeError' },
      doc: 'obo-facts §4a: `UserAuthPolicy(api_scopes: list[str])`.',
    },
  ],
  credentialKeywords: [
    'credentials_strategy',
    'credential_strategy',
    'credentials_provider',
    'workspace_client',
    'client',
  ],
};
