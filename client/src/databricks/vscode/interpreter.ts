// Which Python runs agents: the oboAgents.python.interpreter setting, else the Python extension's choice, else python3.
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import type { Log } from '../redact';

export async function pythonFor(resource: vscode.Uri | undefined, log: Log): Promise<string> {
  // VS Code ignores workspace values of this restricted setting in untrusted workspaces.
  const setting = vscode.workspace
    .getConfiguration('oboAgents.python', resource)
    .get<string>('interpreter')
    ?.trim();
  if (setting) {
    return setting;
  }
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const env = await api.environments.resolveEnvironment(active);
    const exe = env?.executable.uri?.fsPath;
    if (exe) {
      return exe;
    }
  } catch (e) {
    log.debug(`Python extension not available (${(e as Error).message}); using python3`);
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}
