// "Show Debug Information": versions, trust, server state and the resolved settings of every folder, as markdown.
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../shared/settings';
import type { LanguageServerManager } from './client';

const KEYS = [
  'enable',
  'rules.severity',
  'catalog.extra',
  'exclude',
  'codeAction.disableRuleComment',
  'codeAction.showDocumentation',
  'codeLens.enable',
  'trace.server',
  'server.timeBudgetMs',
];

/** Where a setting's value comes from, most specific first (answers "why are my settings ignored?"). */
function resolved(key: string, scope?: vscode.Uri): { value: unknown; from: string } {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const i = config.inspect(key);
  const layers: [string, unknown][] = [
    ['folder', i?.workspaceFolderValue],
    ['workspace', i?.workspaceValue],
    ['user', i?.globalValue],
  ];
  const hit = layers.find(([, v]) => v !== undefined);
  return { value: config.get(key), from: hit ? hit[0] : 'default' };
}

export async function debugInformation(
  context: vscode.ExtensionContext,
  manager: LanguageServerManager,
): Promise<string> {
  const pkg = context.extension.packageJSON as { version?: string };
  const info = await manager.serverInfo().catch(() => undefined);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const settings: Record<string, Record<string, unknown>> = {};
  for (const scope of folders.length > 0 ? folders.map((f) => f.uri) : [undefined]) {
    const entries: Record<string, unknown> = {};
    for (const key of KEYS) {
      const r = resolved(key, scope);
      entries[key] = { value: r.value, from: r.from };
    }
    settings[scope ? vscode.workspace.asRelativePath(scope, true) || scope.fsPath : '(no folder)'] = entries;
  }
  const lines = [
    '# OBO Agents: debug information',
    '',
    `- Extension: ${pkg.version ?? '?'}; VS Code ${vscode.version}; Node ${process.version}; ${process.platform}`,
    `- Workspace trusted: ${vscode.workspace.isTrusted}`,
    `- Language server: ${info ? `running (${info.version})` : 'not running'}; last status: \`${JSON.stringify(manager.lastStatus ?? null)}\``,
    '',
    '## Server state',
    '',
    '```json',
    JSON.stringify(info ?? null, null, 2),
    '```',
    '',
    '## Resolved settings per folder (value and where it comes from)',
    '',
    '```json',
    JSON.stringify(settings, null, 2),
    '```',
    '',
  ];
  return lines.join('\n');
}
