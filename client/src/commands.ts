// The extension's own commands: restart, logs, required scopes, debug information, rule documentation.
import * as vscode from 'vscode';
import type { Location } from '../../shared/findings';
import type { LanguageServerManager } from './client';
import { debugInformation } from './debugInformation';
import type { Logger } from './logger';
import type { ReportDocumentProvider } from './reportDocuments';
import { renderRequiredScopes } from './requiredScopesReport';
import { showRuleDocumentation } from './ruleDocumentation';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  logger: Logger;
  serverChannel: vscode.LogOutputChannel;
  manager: LanguageServerManager;
  reports: ReportDocumentProvider;
}

export function registerCommands(deps: CommandDeps): void {
  const { context, logger, manager } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(...args);
        } catch (error) {
          logger.error(`${id} failed`, error);
          const choice = await vscode.window.showErrorMessage(`OBO Agents: ${errorText(error)}`, 'Show Logs');
          if (choice === 'Show Logs') {
            logger.show();
          }
        }
      }),
    );

  register('oboAgents.restartServer', () => manager.requestRestart('requested from the command palette'));
  register('oboAgents.showLogs', () => logger.show());
  register('oboAgents.showServerLogs', () => deps.serverChannel.show(true));
  register('oboAgents.showRuleDocumentation', (code) => showRuleDocumentation(context.extensionUri, code));
  register('oboAgents.debugInformation', async () =>
    deps.reports.show('OBO Agents Debug Information', await debugInformation(context, manager)),
  );
  register('oboAgents.showRequiredScopes', (arg) => showRequiredScopes(deps, arg));
}

/** The report for the agent linked to the given or active document (a code lens passes the agent's URI). */
async function showRequiredScopes(deps: CommandDeps, arg: unknown): Promise<void> {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : typeof arg === 'string'
        ? vscode.Uri.parse(arg)
        : vscode.window.activeTextEditor?.document.uri;
  let result = await deps.manager.agentReports(uri);
  if (result.reports.length === 0) {
    const all = await deps.manager.agentReports();
    if (all.reports.length === 0) {
      void vscode.window.showInformationMessage(
        'OBO Agents: no agent found. Open an agent file (a ResponsesAgent/ChatAgent, or a file logged with log_model).',
      );
      return;
    }
    const pick =
      all.reports.length === 1
        ? all.reports[0]
        : (
            await vscode.window.showQuickPick(
              all.reports.map((r) => ({ label: vscode.workspace.asRelativePath(r.path), report: r })),
              { placeHolder: 'Show the required scopes of which agent?' },
            )
          )?.report;
    if (!pick) {
      return;
    }
    result = await deps.manager.agentReports(vscode.Uri.file(pick.path));
  }
  const markdown = renderRequiredScopes(result, {
    target: (loc: Location) => `${vscode.Uri.file(loc.file).toString()}#L${loc.range.start.line + 1}`,
    label: (file: string) => vscode.workspace.asRelativePath(file),
  });
  const name =
    result.reports.length === 1 ? vscode.workspace.asRelativePath(result.reports[0].path) : 'agents';
  await deps.reports.show(`Required Scopes - ${name.replace(/[\\/]/g, '_')}`, markdown);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
