// Loads the Databricks commands (client/src/databricks/index.ts) and hands them the logger and the agent-report request.
import type * as vscode from 'vscode';
import type { AgentReportsResult } from '../../server/src/lsp/protocol';
import type { Logger } from './logger';

export interface DatabricksFeatureDeps {
  logger: Logger;
  /** Sends `obo/agentReports` (for a document, or the whole workspace) to the language server. */
  getAgentReports: (uri?: vscode.Uri) => Promise<AgentReportsResult>;
}

type Register = (context: vscode.ExtensionContext, deps: DatabricksFeatureDeps) => unknown;

/**
 * Calls `registerDatabricksFeatures` when the module is there. The require sits in a try block so the bundle
 * still builds while that module is being written; esbuild bundles it as soon as it exists.
 */
export function registerDatabricks(context: vscode.ExtensionContext, deps: DatabricksFeatureDeps): void {
  let register: Register | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    register = (require('./databricks/index') as { registerDatabricksFeatures?: Register })
      .registerDatabricksFeatures;
  } catch (error) {
    deps.logger.warn(`Databricks commands are not available: ${String(error)}`);
    return;
  }
  if (typeof register !== 'function') {
    deps.logger.warn('Databricks commands are not available: registerDatabricksFeatures is missing');
    return;
  }
  try {
    register(context, deps);
  } catch (error) {
    deps.logger.error('Registering the Databricks commands failed', error);
  }
}
