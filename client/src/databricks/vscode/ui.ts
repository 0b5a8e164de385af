// Shared UI helpers: failures with "Show Logs" (and "Select Profile" for auth problems), untitled documents.
import * as vscode from 'vscode';
import { explain, UserFacingError } from '../errors';
import type { Log } from '../redact';

export interface Feature {
  /** The redacting log every Databricks line goes through. */
  log: Log;
  /** The channel behind it, for "Show Logs". */
  channel: { show(preserveFocus?: boolean): void };
}

export interface ExtraAction {
  label: string;
  run(): unknown;
}

/** Shows a failure: errors get Show Logs; cancellations are informational; auth problems offer Select Profile. */
export async function showFailure(
  f: Feature,
  e: unknown,
  what: string,
  state: string,
  extra: ExtraAction[] = [],
): Promise<void> {
  const err = e instanceof UserFacingError ? e : explain(e, what, state);
  const actions = [...extra];
  if (err.kind === 'auth' || err.kind === 'config') {
    actions.push({
      label: 'Select Profile',
      run: () => vscode.commands.executeCommand('oboAgents.selectProfile'),
    });
  }
  if (err.kind === 'cancelled') {
    f.log.info(err.message);
    const pick = await vscode.window.showInformationMessage(err.message, ...actions.map((a) => a.label));
    await actions.find((a) => a.label === pick)?.run();
    return;
  }
  f.log.error(err.message);
  actions.push({ label: 'Show Logs', run: () => f.channel.show(true) });
  const pick = await vscode.window.showErrorMessage(err.message, ...actions.map((a) => a.label));
  await actions.find((a) => a.label === pick)?.run();
}

/** Opens read-only-ish text (plan, logs, JSON) in an untitled editor beside the current one. */
export async function showText(content: string, language: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/** Runs `task` in a cancellable notification; the token becomes an AbortSignal for the plain modules. */
export function withCancellableProgress<T>(
  title: string,
  task: (
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    signal: AbortSignal,
  ) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return task(progress, controller.signal);
    },
  );
}
