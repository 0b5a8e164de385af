// Extension entry point: logs, status item, language server, commands, settings and trust wiring, Databricks features.
import * as vscode from 'vscode';
import { LanguageServerManager } from './client';
import { registerCommands } from './commands';
import { registerDatabricksFeatures } from './databricks/index';
import { ExtensionLogger } from './logger';
import { REPORT_SCHEME, ReportDocumentProvider } from './reportDocuments';
import { requiresRestart } from './settings';
import { LanguageStatusManager } from './status';
import { ServerTraceChannel } from './traceChannel';

let manager: LanguageServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const logger = new ExtensionLogger(vscode.window.createOutputChannel('OBO Agents', { log: true }));
  const serverChannel = vscode.window.createOutputChannel('OBO Agents Server', { log: true });
  const traceChannel = new ServerTraceChannel('OBO Agents Trace');
  // Notebook cells are Python documents too, so one language filter covers files and cells.
  const status = new LanguageStatusManager({ language: 'python' });
  const reports = new ReportDocumentProvider();
  manager = new LanguageServerManager(context, logger, serverChannel, traceChannel, status);
  context.subscriptions.push(
    logger,
    serverChannel,
    traceChannel,
    status,
    reports,
    manager,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (requiresRestart(e)) {
        void manager?.requestRestart('a setting that is read at start changed');
      }
    }),
    // Trust changes nothing the static analysis does, but a fresh server picks up settings trust unlocked.
    vscode.workspace.onDidGrantWorkspaceTrust(
      () => void manager?.requestRestart('the workspace is now trusted'),
    ),
  );
  registerCommands({ context, logger, serverChannel, manager, reports });
  logger.info(
    `Activating OBO Agents ${String((context.extension.packageJSON as { version?: string }).version)}`,
  );
  const server = manager;
  try {
    registerDatabricksFeatures(context, {
      logger,
      getAgentReports: (uri?: vscode.Uri) => server.agentReports(uri),
    });
  } catch (error) {
    // The analysis must keep working even if the Databricks commands fail to register.
    logger.error('Registering the Databricks commands failed', error);
  }
  await server.start();
}

export function deactivate(): Promise<void> | undefined {
  return manager?.stop();
}
