// Renders "Show Required Scopes" as markdown from obo/agentReports: each scope, why, where it is declared (no vscode import).
import * as path from 'node:path';
import type { Finding, Location } from '../../shared/findings';
import type { AgentReport, LogSiteReport } from '../../shared/reports';
import type { AgentReportsResult } from '../../shared/protocol';

export interface ReportLinks {
  /** A markdown link target for a location (a file URI with a line fragment). */
  target(location: Location): string;
  /** How a file is named in the text (workspace-relative). */
  label(file: string): string;
}

function where(location: Location, links: ReportLinks): string {
  const cell = location.cell !== undefined ? ` cell ${location.cell + 1}` : '';
  const text = `${links.label(location.file)}${cell}:${location.range.start.line + 1}`;
  return `[${text}](${links.target(location)})`;
}

/** Escapes what would break a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '—' : values.map((v) => `\`${v}\``).join(', ');
}

function renderNeeds(report: AgentReport, links: ReportLinks): string[] {
  if (report.needs.length === 0) {
    return ['No call on a user-authorized client was found: the agent needs no `api_scopes`.', ''];
  }
  const out = ['| Scope | Need | Why | Where |', '|---|---|---|---|'];
  for (const n of report.needs) {
    const need = n.required ? 'required' : 'may use';
    const conf = n.confidence === 'unconfirmed' ? ' (unconfirmed)' : '';
    out.push(`| \`${n.scope}\` | ${need}${conf} | ${cell(n.because)} | ${where(n.location, links)} |`);
  }
  out.push('');
  return out;
}

function renderSite(site: LogSiteReport, links: ReportLinks): string[] {
  const out = [`### ${where(site.location, links)} — \`log_model\``, ''];
  if (site.declaredScopes === undefined) {
    out.push('No `UserAuthPolicy`: the agent is logged without user scopes.');
  } else {
    const declared = site.declaredScopes.map((d) => `\`${d.value}\` (${where(d.location, links)})`);
    out.push(`- **Declared:** ${declared.length > 0 ? declared.join(', ') : '—'}`);
  }
  out.push(
    `- **Missing:** ${list(site.missing)}${site.toAdd.length > 0 ? ` — the quick fix adds ${list(site.toAdd)}` : ''}`,
  );
  out.push(`- **Unused:** ${list(site.unused)}`);
  out.push(`- **Unknown:** ${list(site.unknown)}`);
  const state =
    site.declaredScopes !== undefined &&
    site.missing.length === 0 &&
    site.unused.length === 0 &&
    site.unknown.length === 0;
  out.push(`- **State:** ${state ? 'in sync' : 'needs attention'}`, '');
  return out;
}

function renderResources(report: AgentReport, links: ReportLinks): string[] {
  if (report.resources.length === 0) {
    return [];
  }
  const out = [
    '## Resources used with system authorization',
    '',
    '| Resource | Name | Why | Where |',
    '|---|---|---|---|',
  ];
  for (const r of report.resources) {
    out.push(
      `| \`${r.resource}\` | ${r.name ? `\`${r.name}\`` : '(dynamic)'} | ${cell(r.because)} | ${where(r.location, links)} |`,
    );
  }
  out.push('');
  return out;
}

function renderFindings(
  findings: readonly { file: string; finding: Finding }[],
  links: ReportLinks,
): string[] {
  if (findings.length === 0) {
    return [];
  }
  const out = ['## Findings in the linked files', ''];
  for (const { finding } of findings) {
    out.push(
      `- ${where(finding.location, links)} **${finding.code}** (${finding.severity}): ${finding.message}`,
    );
  }
  out.push('');
  return out;
}

export function renderRequiredScopes(result: AgentReportsResult, links: ReportLinks): string {
  const out: string[] = [];
  for (const report of result.reports) {
    const name = path.basename(report.path);
    out.push(`# Required scopes — ${name}`, '');
    const kind = report.agentKind ? ` (${report.agentKind})` : '';
    const cls = report.className ? `\`${report.className}\`${kind} in ` : '';
    out.push(`Agent: ${cls}${where(report.location, links)}.`);
    out.push(
      report.usesUserAuth
        ? 'It acts **on behalf of the user**: each scope below must be in `UserAuthPolicy(api_scopes=[...])`.'
        : 'It builds no user-authorized client.',
      '',
      '## Scopes the code needs',
      '',
    );
    out.push(...renderNeeds(report, links));
    out.push('## Declared where the agent is logged', '');
    if (report.logSites.length === 0) {
      out.push('No `log_model(...)` call for this agent was found in the workspace.', '');
    }
    for (const site of report.logSites) {
      out.push(...renderSite(site, links));
    }
    out.push(...renderResources(report, links));
  }
  out.push(...renderFindings(result.findings, links));
  return out.join('\n');
}
