// Hover text from the last analysis: what a construct needs, what a scope grants.
import * as path from 'path';
import type { AnalysisResult } from './analyse';
import type { ModuleModel } from './engine/program';
import type { Site } from './engine/values';
import { locOf } from './engine/locations';
import type { Position } from './model';
import type { Description } from './project';
import { nodeAt, type PyNode } from './python/tree';

/** Finds the unit (module) holding a real position, and the position inside it. */
export function locate(
  r: AnalysisResult,
  file: string,
  pos: Position,
  cell?: number,
): { mod: ModuleModel; at: Position } | undefined {
  for (const mod of r.modules) {
    if (mod.unit.origin !== file) {
      continue;
    }
    const lines = mod.unit.lines;
    if (!lines) {
      return { mod, at: pos };
    }
    const i = lines.findIndex((l) => l.line === pos.line && (cell === undefined || l.cell === cell));
    if (i >= 0) {
      return { mod, at: { line: i, character: Math.max(0, pos.character - lines[i].column) } };
    }
  }
  return undefined;
}

function within(n: PyNode, outer: PyNode): boolean {
  return n.start >= outer.start && n.end <= outer.end;
}

const rel = (site: Site): string => {
  const loc = locOf(site);
  return `${path.basename(loc.file)}:${loc.range.start.line + 1}`;
};

export function describeAt(
  r: AnalysisResult,
  file: string,
  pos: Position,
  cell?: number,
): Description | undefined {
  const hit = locate(r, file, pos, cell);
  if (!hit) {
    return undefined;
  }
  const node = nodeAt(hit.mod.root, hit.at.line, hit.at.character);
  return describeScope(r, hit.mod, node) ?? describeConstruct(r, hit.mod, node);
}

function describeScope(r: AnalysisResult, mod: ModuleModel, node: PyNode): Description | undefined {
  for (const site of r.logSites) {
    for (const item of site.userScopes?.items ?? []) {
      if (item.site.mod !== mod || !within(node, item.site.node) || item.value === undefined) {
        continue;
      }
      const row = r.cat.scopes.get(item.value);
      const lines: string[] = [];
      if (!row) {
        const s = r.cat.scopes.nearest(item.value);
        lines.push(
          `**\`${item.value}\`** is not a Model Serving API scope.${s ? ` Did you mean \`${s}\`?` : ''}`,
        );
      } else {
        lines.push(`**\`${item.value}\`** — ${row.grants}`);
        if (row.caveat) {
          lines.push(`\n_Note: ${row.caveat}._`);
        }
        const users: string[] = [];
        for (const [agentMod, needs] of r.needsByAgent) {
          for (const n of needs.needs) {
            if (r.cat.scopes.satisfies(item.value, n.scope)) {
              users.push(
                `- ${n.because} (${rel(n.site)}${n.required ? '' : ', may use'}) in ${path.basename(agentMod.path)}`,
              );
            }
          }
        }
        lines.push(
          users.length
            ? `\nNeeded by:\n${[...new Set(users)].join('\n')}`
            : '\nNo code in the linked agent needs it.',
        );
      }
      return { location: locOf(item.site), markdown: lines.join('\n') };
    }
  }
  return undefined;
}

function describeConstruct(r: AnalysisResult, mod: ModuleModel, node: PyNode): Description | undefined {
  let best: (typeof r.events)[number] | undefined;
  for (const e of r.events) {
    if (
      (e.k === 'client' || e.k === 'consumer' || e.k === 'method') &&
      e.site.mod === mod &&
      within(node, e.site.node)
    ) {
      if (!best || within(e.site.node, best.site.node)) {
        best = e;
      }
    }
  }
  if (!best) {
    return undefined;
  }
  const lines: string[] = [];
  const e = best;
  if (e.k === 'client') {
    lines.push(
      e.value.user
        ? `**User-authorized client** — acts as the user who queries the agent. Build it inside \`predict\`/\`predict_stream\`, never while the agent loads.`
        : `**Client with the agent's own credentials** (system auth): resources it reaches must be declared in \`SystemAuthPolicy(resources=[...])\`.`,
    );
    lines.push(`\n${e.value.row.doc}`);
  } else if (e.k === 'consumer' || e.k === 'method') {
    const doc = e.k === 'consumer' ? e.value.row.doc : e.row.doc;
    const user = e.k === 'consumer' ? e.value.user : e.client.user;
    // A holder calls nothing itself: what matters is whose tools it keeps.
    const holder = e.k === 'consumer' && e.value.row.holdsTools;
    const how = holder
      ? user
        ? 'Keeps **user-authorized tools**: build it per request and keep it in a local variable of `predict`.'
        : 'Keeps the tools it is given; each runs with the credentials it was built with.'
      : user
        ? 'Runs **on behalf of the user**.'
        : "Runs with the agent's **system** credentials.";
    lines.push(`${doc}\n\n${how}`);
  }
  const rows: string[] = [];
  for (const [agentMod, needs] of r.needsByAgent) {
    const report = r.reports.find((x) => x.path === agentMod.path);
    for (const n of needs.needs) {
      if (n.site.node !== e.site.node) {
        continue;
      }
      const declared = report?.logSites.some((s) =>
        s.declaredScopes?.some((d) => r.cat.scopes.satisfies(d.value, n.scope)),
      );
      const state = !report?.logSites.length
        ? 'no log_model found'
        : declared
          ? 'declared'
          : n.required
            ? '**missing**'
            : 'not declared';
      rows.push(
        `| \`${n.scope}\` | ${n.required ? 'required' : 'may use'}${n.confidence === 'unconfirmed' ? ' (unconfirmed)' : ''} | ${state} |`,
      );
    }
    for (const res of needs.resources) {
      if (res.site.node === e.site.node) {
        rows.push(`| ${res.resource}${res.name ? `(\`${res.name}\`)` : ''} | system resource | |`);
      }
    }
  }
  if (rows.length) {
    lines.push(`\n| needs | | state |\n|---|---|---|\n${[...new Set(rows)].join('\n')}`);
  }
  return { location: locOf(e.site), markdown: lines.join('\n') };
}
