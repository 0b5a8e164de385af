// Client-side view of the settings: which ones need a server restart, and what goes into initializationOptions.
import * as vscode from 'vscode';
import type { InitializationOptions } from '../../shared/protocol';
import { SERVER_SETTING_KEYS, SETTINGS_SECTION } from '../../shared/settings';

/** Settings the server reads only at start; everything else is pulled per document through workspace/configuration. */
export const RESTART_SETTINGS: readonly string[] = [`${SETTINGS_SECTION}.server.timeBudgetMs`];

export function requiresRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return RESTART_SETTINGS.some((key) => event.affectsConfiguration(key));
}

export function initializationOptions(): InitializationOptions {
  const budget = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('server.timeBudgetMs');
  return typeof budget === 'number' && budget > 0 ? { timeBudgetMs: budget } : {};
}

/**
 * What the server gets for a `workspace/configuration` item: the `oboAgents` section cut down to the settings it
 * reads. The rest (Databricks host and profile, `deploy.environmentVariables`, which may hold a secret) stays in the
 * editor and out of the LSP trace.
 */
export function serverConfiguration(section: string | undefined, value: unknown): unknown {
  if (section !== SETTINGS_SECTION || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const all = value as Record<string, unknown>;
  return Object.fromEntries(SERVER_SETTING_KEYS.filter((k) => k in all).map((k) => [k, all[k]]));
}
