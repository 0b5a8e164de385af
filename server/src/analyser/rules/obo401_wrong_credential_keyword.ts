// OBO401: a credential given under the wrong keyword, with the rename (or the client to build) as fix (docs/rules/OBO401.md).
import type { Event } from '../engine/events';
import type { UserClientRow } from '../../catalog/types';
import { ensureImport, replaceNode } from '../fixes/edits';
import { child, textOf } from '../python/tree';
import type { Fix } from '../model';
import { defineRule } from './rule';
import { q } from './text';

export const obo401 = defineRule('OBO401', (ctx) => {
  for (const e of ctx.events) {
    if (e.k !== 'wrongKeyword') {
      continue;
    }
    const name = child(e.node, 'name') ?? e.node;
    const site = { mod: e.site.mod, node: name };
    ctx.sink.add('OBO401', site, `${e.why}. Use ${q(`${e.right}=`)}.`, {
      severity: e.confidence === 'unconfirmed' ? 'warning' : undefined,
      fixes: [
        e.wrap
          ? wrapFix(e, e.wrap)
          : {
              title: `Rename ${q(e.keyword)} to ${q(e.right)}`,
              edits: [replaceNode(site, e.right)],
              safe: true,
            },
      ],
      details: { keyword: e.keyword, replacement: e.right },
    });
  }
});

/**
 * A user credential given to a construct that takes a client (`ChatDatabricks(credentials_strategy=MSUC())`): the
 * fix builds the client around it, `workspace_client=WorkspaceClient(credentials_strategy=MSUC())`, importing it.
 */
function wrapFix(e: Extract<Event, { k: 'wrongKeyword' }>, client: UserClientRow): Fix {
  const mod = e.site.mod;
  const value = child(e.node, 'value');
  const callee = client.callees[0];
  const cls = callee.slice(callee.lastIndexOf('.') + 1);
  const text = `${e.right}=${cls}(${client.credentialKeyword}=${value ? textOf(mod.src, value) : ''})`;
  const imp = ensureImport(mod, callee.slice(0, callee.lastIndexOf('.')), [cls], e.site.node);
  return {
    title: `Pass ${q(text)}`,
    edits: [replaceNode({ mod, node: e.node }, text), ...(imp ? [imp] : [])],
    safe: true,
  };
}
