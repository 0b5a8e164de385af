// OBO100: where the checks stop, a value they need that cannot be resolved statically; every OBO100 note is built here (docs/rules/OBO100.md).
import * as path from 'path';
import type { Finding, Location } from '../model';
import { ruleInfo } from '../../../../shared/rules';
import { scopesOf } from './compareScopes';
import type { AgentSitePair, RuleContext } from './context';
import { resourceGapOf } from './resourceGaps';
import { defineRule } from './rule';
import { listText, q } from './text';

export const obo100 = defineRule('OBO100', (ctx) => {
  unreadableScopeEntries(ctx);
  for (const agent of ctx.agents) {
    // What the agent's needs could not follow (a computed MCP URL...), noted where the needs were read.
    for (const n of agent.needs.notes) {
      ctx.sink.add('OBO100', n.site, n.message);
    }
    for (const pair of ctx.pairs) {
      if (pair.agent === agent) {
        unreadableScopeList(ctx, pair);
        unreadableResources(ctx, pair);
      }
    }
  }
  unresolvedTargets(ctx);
  truncatedModules(ctx);
});

/** An api_scopes entry that cannot be read: it is not checked (OBO203 reads the others). */
function unreadableScopeEntries(ctx: RuleContext): void {
  for (const site of ctx.logSites) {
    for (const item of site.userScopes?.items ?? []) {
      if (item.value === undefined) {
        ctx.sink.add(
          'OBO100',
          item.site,
          'This api_scopes entry cannot be resolved statically, so it is not checked.',
        );
      }
    }
  }
}

/**
 * An api_scopes list of which nothing can be read: one note where it is given, not a guess at every scope the agent
 * needs (a literal's unreadable entries already have theirs).
 */
function unreadableScopeList(ctx: RuleContext, pair: AgentSitePair): void {
  const list = pair.site.userScopes;
  if (!list || !list.partial || scopesOf(ctx, pair).declared.length || list.items.length) {
    return;
  }
  const anchor = list.list ?? { mod: list.policy.site.mod, node: list.policy.site.node };
  const needed = [...new Set(pair.agent.needs.needs.filter((n) => n.required).map((n) => n.scope))];
  ctx.sink.add(
    'OBO100',
    list.at ?? anchor,
    `The api_scopes given here cannot be resolved statically, so the scopes ${path.basename(pair.agent.mod.path)} needs` +
      (needed.length ? ` (${listText(ctx.cat.scopes.spell(needed, 'documented'))})` : '') +
      ' cannot be checked against them.',
    { details: { needed } },
  );
}

/** A computed resources list that may lack what the agent uses with system auth: one note where it is declared. */
function unreadableResources(ctx: RuleContext, pair: AgentSitePair): void {
  const { site } = pair;
  const gap = resourceGapOf(ctx, pair);
  if (!gap.partial || !gap.missing.length) {
    return;
  }
  const at = site.resourcesKw ? site.resourcesKw.at : (site.systemResources?.policy.site ?? site.site);
  const labels = [...new Set(gap.missing.map((f) => (f.name ? `${f.resource}(${q(f.name)})` : f.resource)))];
  ctx.sink.add(
    'OBO100',
    at,
    `The resources declared here cannot be resolved statically, so ${labels.join(', ')}, used with system ` +
      `credentials by the agent, cannot be checked against them.`,
  );
}

/** A log site whose python_model cannot be followed, or names an agent file that is not open or not found. */
function unresolvedTargets(ctx: RuleContext): void {
  const { cat, targets } = ctx;
  for (const site of ctx.logSites) {
    if (!site.target) {
      const kw = cat.logModelArg(site.event.name).keyword ?? cat.mlflow.defaultModelKeyword;
      ctx.sink.add(
        'OBO100',
        site.site,
        `The ${kw}= of this log_model cannot be resolved statically: its scopes are not checked against an agent file.`,
      );
    } else if (
      ![...targets.of(site).exact, ...targets.of(site).likely].some((m) => ctx.programAgents.has(m))
    ) {
      const name = site.target.path ? path.basename(site.target.path) : 'the agent file';
      ctx.sink.add(
        'OBO100',
        site.site,
        `${name} is not open or not found in the workspace: its scopes cannot be checked.`,
      );
    }
  }
}

/** A module whose interpretation stopped at its time budget. */
function truncatedModules(ctx: RuleContext): void {
  for (const m of ctx.members) {
    if (m.truncated) {
      ctx.sink.add(
        'OBO100',
        { mod: m, node: m.root },
        `Analysis of ${path.basename(m.path)} stopped after its time budget: results for it are incomplete.`,
      );
    }
  }
}

/** A note at the start of a line (or of the file), outside any project: no suppression comment applies. */
function fileNote(file: string, message: string, line = 0): Finding {
  const location: Location = { file, range: { start: { line, character: 0 }, end: { line, character: 0 } } };
  return { code: 'OBO100', severity: ruleInfo('OBO100').defaultSeverity, message, location };
}

/**
 * A document's own problem, found before any rule runs: a notebook that is not valid JSON, an unreadable cell, a unit
 * that could not be parsed (parse budget, nesting), a file that could not be read.
 */
export function documentProblemNote(file: string, problem: { message: string; line?: number }): Finding {
  return fileNote(file, problem.message, problem.line);
}

/** Stands in for a file's findings when its analysis threw (the language server's fallback): points at the logs. */
export function internalErrorNote(file: string, message: string): Finding {
  return fileNote(
    file,
    `OBO analysis of this file stopped on an internal error (${message}); other files are unaffected. See "OBO Agents: Show Server Logs".`,
  );
}
