// Entry point of the Databricks features: connection, test-invoke, endpoint query, deploy, Deployments view.
import * as vscode from 'vscode';
import type { AgentReportsResult } from '../../../shared/protocol';
import { endpointPageUrl } from './naming';
import { endpointLogs } from './deployments';
import { Redactor, redactingLog, type Log } from './redact';
import { ConnectionManager } from './vscode/connectionManager';
import { deployAgent, showDeploymentPlan, type DeployCommandOptions } from './vscode/deployCommands';
import { DeploymentsTree, endpointOf } from './vscode/deploymentsTree';
import { queryEndpointCommand, testInvokeLocally } from './vscode/invokeCommands';
import { PlaygroundPanel } from './vscode/playgroundPanel';
import { showFailure, showText, type Feature } from './vscode/ui';

export interface DatabricksDeps {
  /** A `vscode.LogOutputChannel`, or the extension's Logger over one (anything with these methods and show). */
  logger: Log & { show(preserveFocus?: boolean): void };
  getAgentReports(uri?: vscode.Uri): Promise<AgentReportsResult>;
}

/** Registers every Databricks command, the status bar item and the Deployments view. */
export function registerDatabricksFeatures(context: vscode.ExtensionContext, deps: DatabricksDeps): void {
  // One redactor for the whole feature: every token any session learns is masked in every line.
  const redactor = new Redactor();
  const f: Feature = { log: redactingLog(deps.logger, redactor), channel: deps.logger };
  const connection = new ConnectionManager(context, f, redactor);
  const tree = new DeploymentsTree(connection, f);
  const invoke = { context, f, connection, getReports: deps.getAgentReports, redactor };
  const deployDeps = {
    context,
    f,
    connection,
    getReports: deps.getAgentReports,
    onDeployChanged: () => tree.refresh(),
    queryEndpoint: (name: string) => queryEndpointCommand(invoke, name),
  };
  const endpointFromArg = (arg: unknown) => (typeof arg === 'string' ? arg : endpointOf(arg)?.name);
  const cmd = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);

  context.subscriptions.push(
    connection,
    tree,
    vscode.window.registerTreeDataProvider('oboAgents.deployments', tree),
    connection.onDidChange(() => tree.refresh()),
    cmd('oboAgents.selectProfile', (name) => connection.select(typeof name === 'string' ? name : undefined)),
    cmd('oboAgents.databricks.forgetToken', () => connection.forgetToken()),
    cmd('oboAgents.testInvokeLocally', (arg) => testInvokeLocally(invoke, arg)),
    cmd('oboAgents.testInvokeLocallyAsProfile', (arg) => testInvokeLocally(invoke, arg, true)),
    cmd('oboAgents.queryEndpoint', (arg) => queryEndpointCommand(invoke, endpointFromArg(arg))),
    cmd('oboAgents.showDeploymentPlan', (arg, opts) =>
      showDeploymentPlan(deployDeps, arg, opts as DeployCommandOptions),
    ),
    cmd('oboAgents.deployAgent', (arg, opts) => deployAgent(deployDeps, arg, opts as DeployCommandOptions)),
    cmd('oboAgents.deployments.refresh', () => tree.refresh()),
    cmd('oboAgents.deployments.query', (node) => queryEndpointCommand(invoke, endpointFromArg(node))),
    cmd('oboAgents.deployments.openInWorkspace', async (node) => {
      const d = endpointOf(node);
      const c = d && (await connection.get(true));
      if (d && c) {
        await vscode.env.openExternal(vscode.Uri.parse(endpointPageUrl(c.user.host, d.name)));
      }
    }),
    cmd('oboAgents.deployments.showBuildLogs', async (node) => {
      const d = endpointOf(node);
      const c = d && (await connection.get(true));
      if (!d || !c) {
        return;
      }
      try {
        await showText(await endpointLogs(c.session, d), 'log');
      } catch (e) {
        await showFailure(f, e, `Reading the logs of ${d.name}`, 'Nothing changed.');
      }
    }),
    { dispose: () => PlaygroundPanel.disposeAll() },
  );
  // Validate quietly at start so the status bar shows who we are; failures wait for the first command.
  void connection.get(false);
}
