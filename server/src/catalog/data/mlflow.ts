// MLflow and agent-shape facts: resources, AuthPolicy classes, log_model keywords, agent bases and phases (obo-facts.md §7, §8).
import type { Catalog } from '../types';
import { USER_AUTH_POLICY } from './names';

export const MLFLOW: Pick<
  Catalog,
  | 'resources'
  | 'missingApis'
  | 'legacyImports'
  | 'agentBases'
  | 'requestMethods'
  | 'initMethods'
  | 'cachingDecorators'
  | 'logModelFunctions'
  | 'mlflow'
  | 'setModelFunctions'
  | 'authPolicyClass'
  | 'userAuthPolicyClass'
  | 'systemAuthPolicyClass'
  | 'policies'
  | 'credentialKeywords'
  | 'ownCredentialKeywords'
> = {
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
  mlflow: {
    authPolicyModule: 'mlflow.models.auth_policy',
    resourcesModule: 'mlflow.models.resources',
    authPolicyKeyword: 'auth_policy',
    resourcesKeyword: 'resources',
    defaultModelKeyword: 'python_model',
    userPolicyArg: { keyword: 'user_auth_policy', position: 0 },
    systemPolicyArg: { keyword: 'system_auth_policy', position: 1 },
    scopesArg: { keyword: 'api_scopes', position: 0 },
    systemResourcesArg: { keyword: 'resources', position: 0 },
  },
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
  // WorkspaceClient/Config take token, client_id/client_secret, password, azure_client_secret; VectorSearchClient
  // takes personal_access_token and service_principal_client_id/secret.
  ownCredentialKeywords: [
    'token',
    'client_id',
    'client_secret',
    'password',
    'azure_client_secret',
    'personal_access_token',
    'service_principal_client_id',
    'service_principal_client_secret',
  ],
};
