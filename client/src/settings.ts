// Client-side view of the settings: which ones need a server restart, and what goes into initializationOptions.
import * as vscode from 'vscode';
import type { InitializationOptions } from '../../server/src/lsp/oboServer';
import { SETTINGS_SECTION } from '../../server/src/lsp/settings';

/** Settings the server reads only at start; everything else is pulled per document through workspace/configuration. */
export const RESTART_SETTINGS: readonly string[] = [`${SETTINGS_SECTION}.server.timeBudgetMs`];

export function requiresRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return RESTART_SETTINGS.some((key) => event.affectsConfiguration(key));
}

export function initializationOptions(): InitializationOptions {
  const budget = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('server.timeBudgetMs');
  return typeof budget === 'number' && budget > 0 ? { timeBudgetMs: budget } : {};
}
