// Test-Invoke Agent Locally (optionally as another profile) and Query Endpoint: both open the Agent Playground.
import * as vscode from 'vscode';
import type { Connected, ConnectionManager } from './connectionManager';
import { listAgentDeployments } from '../deployments';
import type { PlaygroundRunner } from '../playgroundController';
import type { Redactor } from '../redact';
import { endpointRunner, localRunner } from '../runners';
import { checkTrust } from '../trust';
import { pickAgent, type AgentTarget, type GetAgentReports } from './agentTarget';
import { pythonFor } from './interpreter';
import { PlaygroundPanel } from './playgroundPanel';
import { showFailure, type Feature } from './ui';

export interface InvokeDeps {
  context: vscode.ExtensionContext;
  f: Feature;
  connection: ConnectionManager;
  getReports: GetAgentReports;
  redactor: Redactor;
}

async function runnerFor(
  d: InvokeDeps,
  t: AgentTarget,
  as: Connected | undefined,
  profile?: string,
): Promise<PlaygroundRunner> {
  const env = as ? await as.session.childEnv() : {};
  const who = as
    ? `as ${as.user.userName}${profile ? ` (profile ${profile})` : ''}`
    : 'without Databricks credentials';
  return localRunner({
    file: t.file,
    source: t.source,
    shape: t.shape,
    python: await pythonFor(vscode.Uri.file(t.file), d.f.log),
    harnessScript: d.context.asAbsolutePath('client/python/harness.py'),
    env,
    asLabel: who,
    redactor: d.redactor,
    log: d.f.log,
  });
}

/** Lets the developer run the agent as a second, less-privileged user: outside Model Serving OBO falls back to these. */
async function pickProfileRunner(d: InvokeDeps, t: AgentTarget): Promise<PlaygroundRunner | undefined> {
  const { profiles, path } = await d.connection.listProfiles();
  const pick = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.name, description: p.host, detail: `auth: ${p.authType}` })),
    {
      title: 'Invoke the agent as which profile?',
      placeHolder: profiles.length ? `Profiles in ${path}` : `${path} has no profiles`,
    },
  );
  if (!pick) {
    return undefined;
  }
  try {
    return await runnerFor(d, t, await d.connection.sessionForProfile(pick.label), pick.label);
  } catch (e) {
    await showFailure(d.f, e, `Using profile ${pick.label}`, 'The playground keeps its current identity.');
    return undefined;
  }
}

/** OBO Agents: Test-Invoke Agent Locally (asProfile: "…as Profile…"). Returns the panel, for tests. */
export async function testInvokeLocally(
  d: InvokeDeps,
  arg?: unknown,
  asProfile = false,
): Promise<PlaygroundPanel | undefined> {
  const gate = checkTrust('oboAgents.testInvokeLocally', vscode.workspace.isTrusted);
  if (!gate.allowed) {
    const pick = await vscode.window.showWarningMessage(gate.message, 'Manage Workspace Trust');
    if (pick) {
      await vscode.commands.executeCommand('workbench.trust.manage');
    }
    return undefined;
  }
  const t = await pickAgent(arg, d.getReports, d.f);
  if (!t) {
    return undefined;
  }
  const runner = asProfile
    ? await pickProfileRunner(d, t)
    : await runnerFor(d, t, await d.connection.get(false));
  if (!runner) {
    return undefined;
  }
  const panel = PlaygroundPanel.open(`local:${t.file}`, runner, {
    redactor: d.redactor,
    pickRunAs: () => pickProfileRunner(d, t),
  });
  panel.controller.setRunner(runner);
  return panel;
}

/** OBO Agents: Query Endpoint; `name` comes from the tree, the deploy notification, or a quick pick. */
export async function queryEndpointCommand(
  d: InvokeDeps,
  name?: string,
): Promise<PlaygroundPanel | undefined> {
  const c = await d.connection.get(true);
  if (!c) {
    return undefined;
  }
  let endpoint = name;
  if (!endpoint) {
    try {
      const list = await listAgentDeployments(c.session);
      const pick = await vscode.window.showQuickPick(
        list.map((x) => ({
          label: x.name,
          description: `${x.model ?? ''} v${x.version ?? '?'}`,
          detail: `${x.ready ?? '?'} · ${x.configUpdate ?? '?'}`,
        })),
        {
          title: 'Query which agent endpoint?',
          placeHolder: list.length ? undefined : 'No agent endpoints in this workspace',
        },
      );
      endpoint = pick?.label;
    } catch (e) {
      await showFailure(d.f, e, 'Listing endpoints', 'Nothing was queried.');
      return undefined;
    }
  }
  if (!endpoint) {
    return undefined;
  }
  return PlaygroundPanel.open(
    `endpoint:${endpoint}`,
    endpointRunner(c.session, endpoint, `as ${c.user.userName}`),
    { redactor: d.redactor },
  );
}
