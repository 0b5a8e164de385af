// Scope names and constructs several catalog tables share, named once so a typo cannot split them.
export const SERVING = 'serving.serving-endpoints';
export const VS_INDEXES = 'vectorsearch.vector-search-indexes';
export const VS_ENDPOINTS = 'vectorsearch.vector-search-endpoints';
export const SQL_STATEMENTS = 'sql.statement-execution';
export const SQL_WAREHOUSES = 'sql.warehouses';
export const CONNECTIONS = 'catalog.connections';
export const GENIE = 'dashboards.genie';
/** ChatDatabricks / DatabricksOpenAI with a gateway flag call `{host}/ai-gateway/...` instead of serving endpoints. */
export const AI_GATEWAY_FLAGS = {
  keywords: ['use_ai_gateway', 'use_ai_gateway_native_api'],
  needs: { required: ['ai-gateway'], confidence: 'unconfirmed' as const },
  label: 'AI Gateway',
};

export const MSUC = [
  'databricks_ai_bridge.ModelServingUserCredentials',
  'databricks_ai_bridge.model_serving_obo_credential_strategy.ModelServingUserCredentials',
  'databricks.sdk.credentials_provider.ModelServingUserCredentials',
];
export const USER_AUTH_POLICY = ['mlflow.models.auth_policy.UserAuthPolicy', 'mlflow.models.UserAuthPolicy'];
export const VS_STRATEGY = [
  'databricks.vector_search.utils.CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS',
  'databricks.ai_search.utils.CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS',
];
