// A cheap text test run before parsing: files that mention none of these names cannot hold an OBO finding.

/**
 * One precompiled alternation, so V8 scans the text once. `AuthPolicy` also covers `UserAuthPolicy` and
 * `SystemAuthPolicy`; `credentials?_strategy` covers both spellings (the wrong one is a finding too).
 */
const MATTERS =
  /ModelServingUserCredentials|MODEL_SERVING_USER_CREDENTIALS|credentials?_strategy|log_model|set_model|AuthPolicy|api_scopes|ResponsesAgent|ChatAgent|ChatModel|PythonModel|WorkspaceClient|VectorSearchClient|GenieAgent|DatabricksMCPClient|ChatDatabricks|# Databricks notebook source/;

/** True when the text may hold an agent, a log site, a user client or a Databricks notebook. */
export function mayMatter(text: string): boolean {
  return MATTERS.test(text);
}

/** The names the prefilter looks for, for documentation and tests. */
export const PREFILTER_NAMES: readonly string[] = [
  'ModelServingUserCredentials',
  'MODEL_SERVING_USER_CREDENTIALS',
  'credential_strategy',
  'credentials_strategy',
  'log_model',
  'set_model',
  'UserAuthPolicy',
  'SystemAuthPolicy',
  'AuthPolicy',
  'api_scopes',
  'ResponsesAgent',
  'ChatAgent',
  'ChatModel',
  'PythonModel',
  'WorkspaceClient',
  'VectorSearchClient',
  'GenieAgent',
  'DatabricksMCPClient',
  'ChatDatabricks',
  '# Databricks notebook source',
];
