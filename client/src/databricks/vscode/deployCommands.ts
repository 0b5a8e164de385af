// Show Deployment Plan (dry run) and Deploy Agent: pre-flight, plan, log+register, serve, wait, done.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { deploy, DeployError, type DeployResult } from '../deploy';
import { PythonModelLogStep } from '../logStep';
import { modelPartFromFile, parseModelName } from '../naming';
import { computePlan, PlanError, renderPlan, type DeployPlan, type DeploySettings } from '../plan';
import { checkTrust } from '../trust';
import { pickAgent, type AgentTarget, type GetAgentReports } from './agentTarget';
import type { ConnectionManager } from './connectionManager';
import { pythonFor } from './interpreter';
import { showFailure, showText, withCancellableProgress, type Feature } from './ui';

const MODEL_NAMES_KEY = 'oboAgents.deploy.modelNames';

export interface DeployCommandOptions {
  /** `catalog.schema.model`; skips the prompt (and is remembered). */
  modelName?: string;
  /** false skips the confirmation (tests, re-deploys from a lens that already showed the plan). */
  confirm?: boolean;
  /** Deploy even when the analysis reports errors. */
  deployAnyway?: boolean;
}

export interface DeployDeps {
  context: vscode.ExtensionContext;
  f: Feature;
  connection: ConnectionManager;
  getReports: GetAgentReports;
  /** A deploy ended (either way): the Deployments view should refresh. */
  onDeployChanged(): void;
  queryEndpoint(name: string): unknown;
}

function settingsFor(uri: vscode.Uri) {
  const c = vscode.workspace.getConfiguration('oboAgents.deploy', uri);
  const deploySettings: DeploySettings = {
    scaleToZero: c.get<boolean>('scaleToZero') ?? true,
    workloadSize: c.get<DeploySettings['workloadSize']>('workloadSize') ?? 'Small',
    environmentVariables: c.get<Record<string, string>>('environmentVariables') ?? {},
    tags: c.get<Record<string, string>>('tags') ?? {},
    experiment: c.get<string>('experiment'),
    inferenceTables: c.get<boolean>('inferenceTables') ?? true,
  };
  return {
    deploySettings,
    catalog: c.get<string>('catalog')?.trim() || 'main',
    schema: c.get<string>('schema')?.trim() || 'default',
    waitTimeoutMs: Math.max(1, c.get<number>('waitTimeoutMinutes') ?? 30) * 60_000,
    pollIntervalMs: Math.max(0.05, c.get<number>('pollIntervalSeconds') ?? 10) * 1000,
    logRegisterScript: c.get<string>('logRegisterScript')?.trim() || undefined,
  };
}

/** The UC model name for an agent file: remembered per file, else asked (with a default from the settings). */
async function modelNameFor(d: DeployDeps, t: AgentTarget, given?: string): Promise<string | undefined> {
  const names = d.context.workspaceState.get<Record<string, string>>(MODEL_NAMES_KEY) ?? {};
  let name: string | undefined = given ?? names[t.file];
  if (!name) {
    const s = settingsFor(vscode.Uri.file(t.file));
    name = await vscode.window.showInputBox({
      title: `Unity Catalog model for ${path.basename(t.file)}`,
      prompt: 'catalog.schema.model — remembered for this agent file',
      value: `${s.catalog}.${s.schema}.${modelPartFromFile(t.file)}`,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const parsed = parseModelName(v);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    });
  }
  if (!name) {
    return undefined;
  }
  await d.context.workspaceState.update(MODEL_NAMES_KEY, { ...names, [t.file]: name });
  return name;
}

async function planFor(
  d: DeployDeps,
  arg: unknown,
  modelName?: string,
): Promise<{ t: AgentTarget; plan: DeployPlan } | undefined> {
  const t = await pickAgent(arg, d.getReports, d.f);
  if (!t) {
    return undefined;
  }
  if (!t.report) {
    void vscode.window.showWarningMessage(
      `The analysis has no agent report for ${vscode.workspace.asRelativePath(t.file)} (is the OBO language server running?), so the auth policy cannot be inferred. Nothing was deployed.`,
    );
    return undefined;
  }
  const name = await modelNameFor(d, t, modelName);
  if (!name) {
    return undefined;
  }
  try {
    return {
      t,
      plan: computePlan(t.report, t.findings, name, settingsFor(vscode.Uri.file(t.file)).deploySettings),
    };
  } catch (e) {
    if (e instanceof PlanError) {
      void vscode.window.showErrorMessage(`Cannot plan the deployment: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

/** OBO Agents: Show Deployment Plan — a dry run: no connection needed, nothing runs. */
export async function showDeploymentPlan(
  d: DeployDeps,
  arg?: unknown,
  opts: DeployCommandOptions = {},
): Promise<DeployPlan | undefined> {
  const p = await planFor(d, arg, opts.modelName);
  if (p) {
    await showText(
      renderPlan(p.plan, (f) => vscode.workspace.asRelativePath(f)),
      'markdown',
    );
  }
  return p?.plan;
}

/** OBO Agents: Deploy Agent. Returns the result (for tests and callers), undefined when stopped or failed. */
export async function deployAgent(
  d: DeployDeps,
  arg?: unknown,
  opts: DeployCommandOptions = {},
): Promise<DeployResult | undefined> {
  const gate = checkTrust('oboAgents.deployAgent', vscode.workspace.isTrusted);
  if (!gate.allowed) {
    const pick = await vscode.window.showWarningMessage(gate.message, 'Manage Workspace Trust');
    if (pick) {
      await vscode.commands.executeCommand('workbench.trust.manage');
    }
    return undefined;
  }
  const p = await planFor(d, arg, opts.modelName);
  if (!p) {
    return undefined;
  }
  const { plan, t } = p;
  if (plan.blocking.length && !opts.deployAnyway) {
    const first = plan.blocking[0];
    const pick = await vscode.window.showWarningMessage(
      `${plan.blocking.length} error(s) in the agent would break it on Model Serving, e.g. ${first.code} at ${vscode.workspace.asRelativePath(first.file)}:${first.line}: ${first.message}`,
      { modal: true },
      'Fix first',
      'Deploy anyway',
    );
    if (pick !== 'Deploy anyway') {
      if (pick === 'Fix first') {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(first.file));
        await vscode.window.showTextDocument(doc, {
          selection: new vscode.Range(first.line - 1, 0, first.line - 1, 0),
        });
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      return undefined;
    }
  }
  if (!existsSync(plan.agentFile)) {
    void vscode.window.showErrorMessage(
      `Deploying failed: the agent file ${plan.agentFile} does not exist yet. Nothing was deployed. Run its %%writefile cell (or save the file), then deploy again.`,
    );
    return undefined;
  }
  const connected = await d.connection.get(true);
  if (!connected) {
    return undefined;
  }
  if (opts.confirm !== false) {
    const scopes = plan.userScopes.map((s) => s.scope).join(', ') || 'none';
    const pick = await vscode.window.showInformationMessage(
      `Deploy ${path.basename(plan.agentFile)} as ${plan.model.full} to endpoint ${plan.endpointName} on ${connected.user.host} as ${connected.user.userName}? User scopes: ${scopes}.`,
      { modal: true, detail: plan.warnings.join('\n') || undefined },
      'Deploy',
      'Show Plan',
    );
    if (pick === 'Show Plan') {
      await showText(
        renderPlan(plan, (f) => vscode.workspace.asRelativePath(f)),
        'markdown',
      );
      return undefined;
    }
    if (pick !== 'Deploy') {
      return undefined;
    }
  }
  const s = settingsFor(vscode.Uri.file(t.file));
  const python = await pythonFor(vscode.Uri.file(t.file), d.f.log);
  const logStep = new PythonModelLogStep({
    python,
    script: s.logRegisterScript ?? d.context.asAbsolutePath(path.join('client', 'python', 'log_register.py')),
    session: connected.session,
    log: d.f.log,
    cwd: path.dirname(t.file),
  });
  d.f.log.info(`deploy: ${plan.model.full} → ${plan.endpointName} (python ${python})`);
  try {
    const result = await withCancellableProgress(`Deploying ${plan.model.full}`, (progress, signal) =>
      deploy({
        session: connected.session,
        plan,
        logStep,
        log: d.f.log,
        signal,
        pollIntervalMs: s.pollIntervalMs,
        waitTimeoutMs: s.waitTimeoutMs,
        progress: (_step, message, increment) => progress.report({ message, increment }),
      }),
    );
    d.onDeployChanged();
    void vscode.window
      .showInformationMessage(
        `${result.endpointName} is ready, serving ${result.modelName} version ${result.version}.`,
        'Query now',
        'Open in workspace',
      )
      .then((pick) => {
        if (pick === 'Query now') {
          void d.queryEndpoint(result.endpointName);
        } else if (pick === 'Open in workspace') {
          void vscode.env.openExternal(vscode.Uri.parse(result.endpointUrl));
        }
      });
    return result;
  } catch (e) {
    const extra: { label: string; run(): unknown }[] = [];
    if (e instanceof DeployError && e.buildLogs) {
      const logs = e.buildLogs;
      extra.push({ label: 'Show Build Logs', run: () => showText(logs, 'log') });
    }
    if (e instanceof DeployError && e.step === 'wait') {
      extra.push({
        label: 'Open Deployments',
        run: () => vscode.commands.executeCommand('oboAgents.deployments.focus'),
      });
    }
    d.onDeployChanged();
    await showFailure(
      d.f,
      e,
      `Deploying ${plan.model.full}`,
      'See the OBO Agents log for what was done.',
      extra,
    );
    return undefined;
  }
}
