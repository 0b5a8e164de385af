// OBO401 (wrong credential keyword), OBO402 (legacy import path), OBO403 (API that does not exist).
import type { CatalogIndex } from '../../catalog/lookup';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import { replaceNode } from '../fixes/edits';
import { child, type PyNode, textOf } from '../python/tree';
import { type FindingSink, q } from './context';

export function keywordRules(sink: FindingSink, events: Event[]): void {
  for (const e of events) {
    if (e.k !== 'wrongKeyword') {
      continue;
    }
    const name = child(e.node, 'name') ?? e.node;
    const site = { mod: e.site.mod, node: name };
    sink.add('OBO401', site, `${e.why}. Use ${q(`${e.right}=`)}.`, {
      fixes: [
        { title: `Rename ${q(e.keyword)} to ${q(e.right)}`, edits: [replaceNode(site, e.right)], safe: true },
      ],
      details: { keyword: e.keyword, replacement: e.right },
    });
  }
}

export function importRules(sink: FindingSink, mod: ModuleModel, cat: CatalogIndex): void {
  const src = mod.src;
  for (const n of mod.importNodes) {
    if (n.type !== 'import_from_statement') {
      continue;
    }
    const modNode = child(n, 'module_name');
    if (!modNode) {
      continue;
    }
    const from = textOf(src, modNode);
    const names = n.children.filter((c) => c.field === 'name');
    for (const nameNode of names) {
      const leafNode = nameNode.type === 'aliased_import' ? child(nameNode, 'name') : nameNode;
      if (!leafNode) {
        continue;
      }
      const leaf = textOf(src, leafNode);
      const qualified = `${from}.${leaf}`;
      const legacy = cat.legacyImport(qualified);
      const missing = cat.missingApi(qualified);
      const target = missing?.replacement ?? legacy?.current;
      if (!target) {
        continue;
      }
      const targetModule = target.slice(0, target.lastIndexOf('.'));
      const targetLeaf = target.slice(target.lastIndexOf('.') + 1);
      const fixes =
        names.length === 1 && targetLeaf === leaf
          ? [
              {
                title: `Import ${leaf} from ${q(targetModule)}`,
                edits: [replaceNode({ mod, node: modNode }, targetModule)],
                safe: !!missing,
              },
            ]
          : undefined;
      const site = { mod, node: leafNode as PyNode };
      if (missing) {
        sink.add('OBO403', site, `${missing.why}. Use ${q(`from ${targetModule} import ${targetLeaf}`)}.`, {
          fixes,
          details: { replacement: target },
        });
      } else if (legacy) {
        sink.add('OBO402', site, `${q(qualified)} is a legacy path: ${legacy.why}. Prefer ${q(target)}.`, {
          fixes,
          details: { replacement: target },
        });
      }
    }
  }
}
