// The deployment plan (dry run): model name, inferred auth policy, endpoint, scale-to-zero, env vars, from an AgentReport.
import type { Finding } from '../../../shared/findings';
import type { AgentReport } from '../../../shared/reports';
import { endpointName, parseModelName, servedEntityName, type ModelName } from './naming';

export type AgentTask = 'agent/v1/responses' | 'agent/v2/chat';

export interface DeploySettings {
  scaleToZero: boolean;
  workloadSize: 'Small' | 'Medium' | 'Large';
  /** The user's variables; values may be `{{secrets/scope/key}}` references. */
  environmentVariables: Record<string, string>;
  tags: Record<string, string>;
  /** MLflow experiment path; empty means `/Users/<you>/obo-agents-<model>`. */
  experiment?: string;
  inferenceTables: boolean;
}

export const defaultDeploySettings = (): DeploySettings => ({
  scaleToZero: true,
  workloadSize: 'Small',
  environmentVariables: {},
  tags: {},
  inferenceTables: true,
});

export interface PlannedScope {
  scope: string;
  /** Some construct fails without it (else it may use it). */
  required: boolean;
  confirmed: boolean;
  because: string[];
}

export interface BlockingFinding {
  code: string;
  message: string;
  file: string;
  line: number;
}

export interface DeployPlan {
  agentFile: string;
  className?: string;
  agentKind?: string;
  task: AgentTask;
  model: ModelName;
  endpointName: string;
  /** The served entity name with `<version>` left open until the version exists. */
  servedEntityPattern: string;
  usesUserAuth: boolean;
  userScopes: PlannedScope[];
  resources: { resource: string; name?: string; because: string }[];
  scaleToZero: boolean;
  workloadSize: DeploySettings['workloadSize'];
  /** Everything the served entity gets, except MLFLOW_EXPERIMENT_ID which the log step decides. */
  environmentVars: Record<string, string>;
  secretRefs: string[];
  tags: Record<string, string>;
  experiment?: string;
  inferenceTable?: { catalog: string; schema: string; prefix: string };
  blocking: BlockingFinding[];
  warnings: string[];
}

/** What agents.deploy() adds to every served entity. */
export const AGENT_ENV_VARS: Record<string, string> = {
  ENABLE_LANGCHAIN_STREAMING: 'true',
  ENABLE_MLFLOW_TRACING: 'true',
  RETURN_REQUEST_ID_IN_RESPONSE: 'true',
};

const SECRET_REF = /\{\{\s*secrets\/[^/\s}]+\/[^/\s}]+\s*\}\}/;

/** Only errors block: warnings and hints are shown but never stop a deploy. */
export function blockingFindings(findings: { file: string; finding: Finding }[]): BlockingFinding[] {
  return findings
    .filter((f) => f.finding.severity === 'error')
    .map((f) => ({
      code: f.finding.code,
      message: f.finding.message,
      file: f.finding.location.file || f.file,
      line: f.finding.location.range.start.line + 1,
    }));
}

export function taskFor(kind: string | undefined): AgentTask {
  return kind === 'ChatAgent' ? 'agent/v2/chat' : 'agent/v1/responses';
}

export class PlanError extends Error {}

export function computePlan(
  report: AgentReport,
  findings: { file: string; finding: Finding }[],
  modelName: string,
  settings: DeploySettings,
): DeployPlan {
  const model = parseModelName(modelName);
  if (typeof model === 'string') {
    throw new PlanError(model);
  }
  const scopes = new Map<string, PlannedScope>();
  for (const n of report.needs) {
    const s = scopes.get(n.scope) ?? { scope: n.scope, required: false, confirmed: false, because: [] };
    s.required ||= n.required;
    s.confirmed ||= n.confidence === 'confirmed';
    s.because.push(n.because);
    scopes.set(n.scope, s);
  }
  const userScopes = [...scopes.values()].sort((a, b) => a.scope.localeCompare(b.scope));
  const seen = new Set<string>();
  const resources = report.resources
    .filter((r) => {
      const key = `${r.resource}:${r.name ?? ''}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map((r) => ({ resource: r.resource, name: r.name, because: r.because }));
  const warnings: string[] = [];
  if (report.agentKind && !['ResponsesAgent', 'ChatAgent'].includes(report.agentKind)) {
    warnings.push(
      `${report.agentKind} is not an agent interface Model Serving streams; the endpoint is set up as a ResponsesAgent.`,
    );
  }
  for (const r of resources.filter((x) => !x.name)) {
    warnings.push(
      `The ${r.resource} name could not be read from the code; it is left out of the auth policy (${r.because}).`,
    );
  }
  for (const site of report.logSites) {
    if (site.missing.length || site.unused.length) {
      warnings.push(
        `The log_model call at ${site.location.file}:${site.location.range.start.line + 1} declares different scopes ` +
          `(missing ${site.missing.join(', ') || 'none'}, unused ${site.unused.join(', ') || 'none'}); this deploy uses the scopes inferred from the code.`,
      );
    }
  }
  if (report.usesUserAuth && userScopes.length === 0) {
    warnings.push(
      'The agent builds a user-authorized client but no scope could be inferred; calls on behalf of the user may fail.',
    );
  }
  const environmentVars = { ...AGENT_ENV_VARS, ...settings.environmentVariables };
  return {
    agentFile: report.path,
    className: report.className,
    agentKind: report.agentKind,
    task: taskFor(report.agentKind),
    model,
    endpointName: endpointName(model.full),
    servedEntityPattern: servedEntityName(model.full, '<version>'),
    usesUserAuth: report.usesUserAuth,
    userScopes,
    resources,
    scaleToZero: settings.scaleToZero,
    workloadSize: settings.workloadSize,
    environmentVars,
    secretRefs: Object.entries(environmentVars)
      .filter(([, v]) => SECRET_REF.test(v))
      .map(([k, v]) => `${k} = ${v}`),
    tags: settings.tags,
    experiment: settings.experiment?.trim() || undefined,
    inferenceTable: settings.inferenceTables
      ? { catalog: model.catalog, schema: model.schema, prefix: model.name }
      : undefined,
    blocking: blockingFindings(findings),
    warnings,
  };
}

/** The plan as Markdown, for "Show Deployment Plan" and the deploy confirmation. */
export function renderPlan(plan: DeployPlan, displayPath: (file: string) => string = (f) => f): string {
  const lines: string[] = [];
  const rel = displayPath(plan.agentFile);
  lines.push(`# Deployment plan: ${plan.className ?? rel}`, '');
  lines.push(
    `- **Agent file:** \`${rel}\`${plan.agentKind ? ` (${plan.agentKind}, task \`${plan.task}\`)` : ''}`,
  );
  lines.push(`- **Unity Catalog model:** \`${plan.model.full}\` (a new version is logged and registered)`);
  lines.push(
    `- **Serving endpoint:** \`${plan.endpointName}\`, served entity \`${plan.servedEntityPattern}\``,
  );
  lines.push(`- **Workload:** ${plan.workloadSize}, scale to zero ${plan.scaleToZero ? 'on' : 'off'}`);
  lines.push(
    `- **MLflow experiment:** ${plan.experiment ? `\`${plan.experiment}\`` : '`/Users/<you>/obo-agents-' + plan.model.name + '`'}`,
  );
  if (plan.inferenceTable) {
    const t = plan.inferenceTable;
    lines.push(`- **Inference tables:** \`${t.catalog}.${t.schema}.${t.prefix}_payload\` (on new endpoints)`);
  }
  lines.push('', '## Auth policy inferred from the code', '');
  lines.push(plan.usesUserAuth ? '### User scopes (on behalf of the user)' : '### User scopes', '');
  if (plan.userScopes.length === 0) {
    lines.push(
      plan.usesUserAuth
        ? '- _none could be inferred_'
        : '- _none: the agent does not act on behalf of the user_',
    );
  }
  for (const s of plan.userScopes) {
    const notes = [s.required ? '' : 'may use', s.confirmed ? '' : 'unconfirmed'].filter(Boolean).join(', ');
    lines.push(
      `- \`${s.scope}\`${notes ? ` (${notes})` : ''}: ${s.because[0]}${s.because.length > 1 ? ` (+${s.because.length - 1} more)` : ''}`,
    );
  }
  lines.push('', '### System resources (the endpoint\u2019s service principal)', '');
  if (plan.resources.length === 0) {
    lines.push('- _none_');
  }
  for (const r of plan.resources) {
    lines.push(`- ${r.resource}${r.name ? ` \`${r.name}\`` : ' _(name unknown)_'}: ${r.because}`);
  }
  lines.push('', '## Environment variables', '');
  for (const [k, v] of Object.entries(plan.environmentVars)) {
    lines.push(`- \`${k}\` = \`${v}\``);
  }
  lines.push('- `MLFLOW_EXPERIMENT_ID` = _the experiment of the logged run_');
  if (plan.secretRefs.length) {
    lines.push('', '### Secret references', '', ...plan.secretRefs.map((s) => `- \`${s}\``));
  }
  if (Object.keys(plan.tags).length) {
    lines.push('', '## Tags', '', ...Object.entries(plan.tags).map(([k, v]) => `- \`${k}\` = \`${v}\``));
  }
  if (plan.blocking.length) {
    lines.push('', '## Errors that block the deploy', '');
    lines.push(...plan.blocking.map((b) => `- ${b.code} ${b.file}:${b.line}: ${b.message}`));
  }
  if (plan.warnings.length) {
    lines.push('', '## Warnings', '', ...plan.warnings.map((w) => `- ${w}`));
  }
  return lines.join('\n') + '\n';
}
