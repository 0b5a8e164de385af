// Which agent a command acts on: the argument, else the active editor or notebook; reports come from the language server.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentReportsResult } from '../../../../shared/protocol';
import type { AgentReport } from '../../../../shared/reports';
import type { AgentShape } from '../agentEvents';
import type { Feature } from './ui';

export interface AgentTarget {
  file: string;
  report?: AgentReport;
  findings: AgentReportsResult['findings'];
  /** The `%%writefile` cell's body when the agent lives in a notebook cell. */
  source?: string;
  shape?: AgentShape;
}

export type GetAgentReports = (uri?: vscode.Uri) => Promise<AgentReportsResult>;

const shapeOf = (kind?: string): AgentShape | undefined =>
  kind === 'ChatAgent' ? 'chat' : kind === 'ResponsesAgent' ? 'responses' : undefined;

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) {
    return arg;
  }
  if (typeof arg === 'string') {
    return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  }
  return undefined;
}

/** The body of the `%%writefile <target>` cell in an open notebook, if any. */
function writefileSource(target: string): string | undefined {
  for (const nb of vscode.workspace.notebookDocuments) {
    for (const cell of nb.getCells()) {
      const text = cell.document.getText();
      const m = /^%%writefile\s+(?:-a\s+)?(\S+)[^\n]*\n/.exec(text);
      if (!m) {
        continue;
      }
      const written = path.resolve(path.dirname(nb.uri.fsPath), m[1]);
      if (written === path.resolve(target) || path.basename(m[1]) === path.basename(target)) {
        return text.slice(m[0].length);
      }
    }
  }
  return undefined;
}

export async function pickAgent(
  arg: unknown,
  getReports: GetAgentReports,
  f: Feature,
): Promise<AgentTarget | undefined> {
  const uri =
    toUri(arg) ??
    vscode.window.activeNotebookEditor?.notebook.uri ??
    vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage(
      'Open an agent file (or a notebook with a %%writefile agent cell) first.',
    );
    return undefined;
  }
  let result: AgentReportsResult = { reports: [], findings: [] };
  try {
    result = await getReports(uri);
  } catch (e) {
    // Without the server, a .py file can still run: the harness finds the agent itself.
    f.log.warn(`agent reports unavailable for ${uri.fsPath}: ${(e as Error).message}`);
  }
  let report: AgentReport | undefined = result.reports[0];
  if (result.reports.length > 1) {
    const pick = await vscode.window.showQuickPick(
      result.reports.map((r) => ({
        label: r.className ?? path.basename(r.path),
        description: vscode.workspace.asRelativePath(r.path),
        report: r,
      })),
      { title: 'Which agent?' },
    );
    if (!pick) {
      return undefined;
    }
    report = pick.report;
  }
  const file = report?.path ?? uri.fsPath;
  if (!report && !file.endsWith('.py')) {
    void vscode.window.showWarningMessage(
      `No agent was found in ${vscode.workspace.asRelativePath(uri)}. Agents are classes with predict/predict_stream given to mlflow.models.set_model(...).`,
    );
    return undefined;
  }
  // Findings of every file linked to the agent (its module, notebook, logging script) count for the pre-flight.
  const findings = result.findings;
  const source = existsSync(file) && !uri.fsPath.endsWith('.ipynb') ? undefined : writefileSource(file);
  return { file, report, findings, source, shape: shapeOf(report?.agentKind) };
}
