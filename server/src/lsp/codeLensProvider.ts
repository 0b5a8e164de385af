// Code lenses: above each `UserAuthPolicy(...)` what the linked agent needs and whether it is in sync; above each agent class, deploy.
import * as path from 'node:path';
import type { CodeLens, CodeLensParams, Range } from 'vscode-languageserver/node';
import type { AgentReport, LogSiteReport } from '../../../shared/reports';
import {
  DEPLOY_AGENT_COMMAND,
  SHOW_DEPLOYMENT_PLAN_COMMAND,
  SHOW_REQUIRED_SCOPES_COMMAND,
} from './capabilities';
import type { DocTarget } from './documentResolver';
import { type FeatureDeps, featureTarget } from './featureTarget';
import { pathToUri } from './uriPaths';

/** How many scope names fit in a lens title before "+N more". */
const MAX_NAMES = 4;

export class CodeLensProvider {
  constructor(private readonly deps: FeatureDeps) {}

  async provide(params: CodeLensParams): Promise<CodeLens[]> {
    const found = await featureTarget(this.deps, params.textDocument?.uri);
    if (!found?.settings.codeLens.enable) {
      return [];
    }
    const { target } = found;
    const resolver = this.deps.resolver;
    const lenses: CodeLens[] = [];
    for (const report of this.deps.host.project.agentReports()) {
      if (report.className && resolver.contains(target, report.location)) {
        // Deploy from where the agent is written; the command resolves the notebook cell or file itself.
        const at = { start: report.location.range.start, end: report.location.range.start };
        const uri = params.textDocument.uri;
        lenses.push(
          { range: at, command: { title: 'Deploy Agent', command: DEPLOY_AGENT_COMMAND, arguments: [uri] } },
          {
            range: at,
            command: {
              title: 'Show Deployment Plan',
              command: SHOW_DEPLOYMENT_PLAN_COMMAND,
              arguments: [uri],
            },
          },
        );
      }
      for (const site of report.logSites) {
        const anchor = site.scopesList ?? site.location;
        if (!resolver.contains(target, anchor)) {
          continue;
        }
        if (site.declaredScopes === undefined && !report.usesUserAuth) {
          continue;
        }
        lenses.push({
          range: policyRange(target, anchor.range),
          command: {
            title: lensTitle(report, site),
            command: SHOW_REQUIRED_SCOPES_COMMAND,
            arguments: [pathToUri(report.path)],
          },
        });
      }
    }
    return lenses;
  }
}

/** "agent.py needs: a, b — in sync" / "— 2 missing, 1 unused" / "— no UserAuthPolicy". */
export function lensTitle(report: AgentReport, site: LogSiteReport): string {
  const needed = [...new Set(report.needs.filter((n) => n.required).map((n) => n.scope))];
  const shown =
    needed.slice(0, MAX_NAMES).join(', ') +
    (needed.length > MAX_NAMES ? ` +${needed.length - MAX_NAMES} more` : '');
  const head = `${path.basename(report.path)} needs: ${needed.length > 0 ? shown : 'no scopes'}`;
  if (site.declaredScopes === undefined) {
    return `${head} — no UserAuthPolicy`;
  }
  const parts: string[] = [];
  if (site.missing.length > 0) {
    parts.push(`${site.missing.length} missing`);
  }
  if (site.unused.length > 0) {
    parts.push(`${site.unused.length} unused`);
  }
  if (site.unknown.length > 0) {
    parts.push(`${site.unknown.length} unknown`);
  }
  return `${head} — ${parts.length > 0 ? parts.join(', ') : 'in sync'}`;
}

/** The `UserAuthPolicy(` call a few lines above the scopes list when there is one, else the list itself. */
function policyRange(target: DocTarget, anchor: Range): Range {
  const doc = target.doc;
  if (doc) {
    for (let line = anchor.start.line; line >= Math.max(0, anchor.start.line - 5); line--) {
      const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      const upTo = line === anchor.start.line ? text.slice(0, anchor.start.character) : text;
      const at = upTo.lastIndexOf('UserAuthPolicy');
      if (at >= 0) {
        return { start: { line, character: at }, end: { line, character: at + 'UserAuthPolicy'.length } };
      }
    }
  }
  return { start: anchor.start, end: anchor.start };
}
