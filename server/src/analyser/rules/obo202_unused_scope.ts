// OBO202: a declared api_scopes entry that nothing in the agent uses (docs/rules/OBO202.md).
import * as path from 'path';
import type { Fix } from '../model';
import { removeListItem } from '../fixes/edits';
import { scopesComparable, scopesOf } from './compareScopes';
import { defineRule } from './rule';
import { q } from './text';

export const obo202 = defineRule('OBO202', (ctx) => {
  for (const pair of ctx.pairs) {
    if (!scopesComparable(ctx, pair)) {
      continue;
    }
    const { agent, site } = pair;
    const cmp = scopesOf(ctx, pair);
    const list = site.userScopes!;
    const agentFile = path.basename(agent.mod.path);
    const uncertain = agent.needs.opaque.length > 0 || agent.needs.notes.length > 0;
    for (const item of list.items) {
      if (item.value === undefined || !cmp.unused.includes(item.value)) {
        continue;
      }
      const listNode = list.list?.node;
      const fix: Fix | undefined =
        listNode && item.site.node.parent === listNode
          ? {
              title: `Remove ${q(item.value)}`,
              edits: [removeListItem(list.list!, item.site.node)],
              safe: false,
            }
          : undefined;
      ctx.sink.add(
        'OBO202',
        item.site,
        `${q(item.value)} is declared but nothing in ${agentFile} uses it: every extra scope widens what the ` +
          `user's token can do (least privilege).${uncertain ? ' Some calls could not be analysed, so this may be in use.' : ''}`,
        {
          severity: uncertain ? 'information' : undefined,
          fixes: fix ? [fix] : undefined,
          unnecessary: true,
          details: { scope: item.value },
        },
      );
    }
  }
});
