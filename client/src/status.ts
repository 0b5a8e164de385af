// The language status item for Python: busy while the server starts or indexes, error severity with a route to the logs.
import * as vscode from 'vscode';
import type { StatusParams } from '../../shared/protocol';

export const SHOW_SERVER_LOGS = 'oboAgents.showServerLogs';

export class LanguageStatusManager implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('oboAgents.status', selector);
    this.item.name = 'OBO Agents';
    this.starting();
  }

  starting(): void {
    this.set(
      '$(sync~spin) OBO Agents',
      'Starting the language server',
      vscode.LanguageStatusSeverity.Information,
      true,
    );
  }

  /** Applies an `obo/status` notification from the server. */
  update(status: StatusParams): void {
    if (status.state === 'indexing') {
      const files = status.files ? ` (${status.files} files)` : '';
      this.set(
        '$(sync~spin) OBO Agents',
        `Indexing the workspace${files}`,
        vscode.LanguageStatusSeverity.Information,
        true,
      );
    } else if (status.state === 'ready') {
      const agents = status.agents ?? 0;
      const detail = `${agents} agent${agents === 1 ? '' : 's'} in ${status.files ?? 0} Python files and notebooks`;
      this.set('$(check) OBO Agents', detail, vscode.LanguageStatusSeverity.Information, false);
    } else {
      this.failed(status.message ?? 'The language server reported an error');
    }
  }

  failed(message: string): void {
    this.set('$(error) OBO Agents', message, vscode.LanguageStatusSeverity.Error, false);
  }

  stopped(): void {
    this.set(
      '$(debug-stop) OBO Agents',
      'The language server is stopped',
      vscode.LanguageStatusSeverity.Warning,
      false,
    );
  }

  dispose(): void {
    this.item.dispose();
  }

  private set(text: string, detail: string, severity: vscode.LanguageStatusSeverity, busy: boolean): void {
    this.item.text = text;
    this.item.detail = detail;
    this.item.severity = severity;
    this.item.busy = busy;
    this.item.command = { title: 'Show Logs', command: SHOW_SERVER_LOGS };
  }
}
