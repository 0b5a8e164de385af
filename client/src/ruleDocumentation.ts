// "Show Rule Documentation": opens docs/rules/OBOxxx.md shipped with the extension, else the page online.
import * as vscode from 'vscode';
import { RULES, ruleDocUrl, type RuleInfo } from '../../shared/rules';

export async function showRuleDocumentation(extensionUri: vscode.Uri, code?: unknown): Promise<void> {
  let rule: RuleInfo | undefined = RULES.find((r) => r.code === code);
  if (!rule) {
    const pick = await vscode.window.showQuickPick(
      RULES.map((r) => ({ label: r.code, description: r.title, rule: r })),
      { placeHolder: 'Which OBO rule?' },
    );
    rule = pick?.rule;
  }
  if (!rule) {
    return;
  }
  const local = vscode.Uri.joinPath(extensionUri, rule.doc);
  try {
    await vscode.workspace.fs.stat(local);
    await vscode.commands.executeCommand('markdown.showPreview', local);
  } catch {
    await vscode.env.openExternal(vscode.Uri.parse(ruleDocUrl(rule.code)));
  }
}
