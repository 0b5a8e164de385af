// OBO205: log_model gets both resources= and auth_policy=, which MLflow rejects (docs/rules/OBO205.md).
import type { CatalogIndex } from '../../catalog/lookup';
import type { Fix, TextEdit } from '../model';
import { addKeyword, ensureImport, insertIntoList, removeArgument } from '../fixes/edits';
import type { LogSite } from '../obo/logsites';
import { child, textOf } from '../python/tree';
import { defineRule } from './rule';

export const obo205 = defineRule('OBO205', (ctx) => {
  for (const site of ctx.logSites) {
    if (site.authPolicy && site.resourcesKw && !site.exclusive) {
      ctx.sink.add(
        'OBO205',
        site.resourcesKw.at,
        'log_model gets both resources= and auth_policy=: MLflow raises "Only one of `resources`, and `auth_policy` ' +
          'can be specified." Move the resources into SystemAuthPolicy(resources=...).',
        { fixes: moveResourcesFix(site, ctx.cat) },
      );
    }
  }
});

function moveResourcesFix(site: LogSite, cat: CatalogIndex): Fix[] | undefined {
  const call = site.authPolicy?.call;
  const res = site.resourcesKw;
  if (!call || !res || res.fromDict) {
    return undefined;
  }
  const mod = site.site.mod;
  const value = child(res.at.node, 'value');
  if (!value || call.site.mod !== mod) {
    return undefined;
  }
  const edits: TextEdit[] = [];
  if (site.systemResources) {
    const list = site.systemResources.list;
    const resList = value.type === 'list' ? value : undefined;
    if (!list || !resList) {
      return undefined;
    }
    const items = resList.children.map((c) => textOf(mod.src, c));
    if (items.length) {
      edits.push(insertIntoList(list, items));
    }
  } else {
    edits.push(
      addKeyword(call.site, `system_auth_policy=SystemAuthPolicy(resources=${textOf(mod.src, value)})`),
    );
    const imp = ensureImport(mod, cat.mlflow.authPolicyModule, ['SystemAuthPolicy'], site.site.node);
    if (imp) {
      edits.push(imp);
    }
  }
  edits.push(removeArgument(site.site, res.at.node));
  return [{ title: 'Move resources into SystemAuthPolicy(resources=...)', edits, safe: true }];
}
