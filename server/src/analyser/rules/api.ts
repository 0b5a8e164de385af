// OBO401 (wrong credential keyword), OBO402 (legacy import path), OBO403 (API that does not exist).
import type { CatalogIndex } from '../../catalog/lookup';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import type { UserClientRow } from '../../catalog/types';
import { ensureImport, replaceNode } from '../fixes/edits';
import { child, type PyNode, textOf, visit } from '../python/tree';
import type { Fix } from '../model';
import { type FindingSink, q } from './context';

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

export function keywordRules(sink: FindingSink, events: Event[]): void {
  for (const e of events) {
    if (e.k !== 'wrongKeyword') {
      continue;
    }
    const name = child(e.node, 'name') ?? e.node;
    const site = { mod: e.site.mod, node: name };
    sink.add('OBO401', site, `${e.why}. Use ${q(`${e.right}=`)}.`, {
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
}

/**
 * The edits that import the right name: the module path (only when the statement imports this name alone) and, for
 * a wrong class name, the name in the import and, unless it is imported under an alias, each use of it in the file.
 */
function importFix(
  mod: ModuleModel,
  modNode: PyNode,
  nameNode: PyNode,
  leafNode: PyNode,
  importedNames: number,
  targetModule: string,
  targetLeaf: string,
  safe: boolean,
): Fix[] | undefined {
  const src = mod.src;
  const leaf = textOf(src, leafNode);
  const moves = textOf(src, modNode) !== targetModule;
  if (moves && importedNames > 1) {
    return undefined;
  }
  const edits = moves ? [replaceNode({ mod, node: modNode }, targetModule)] : [];
  if (targetLeaf !== leaf) {
    edits.push(replaceNode({ mod, node: leafNode }, targetLeaf));
    if (nameNode.type !== 'aliased_import') {
      visit(mod.root, (n) => {
        if (n.type === 'import_from_statement' || n.type === 'import_statement') {
          return false;
        }
        if (n.type === 'identifier' && readsName(n) && textOf(src, n) === leaf) {
          edits.push(replaceNode({ mod, node: n }, targetLeaf));
        }
        return true;
      });
    }
  }
  const title =
    targetLeaf === leaf
      ? `Import ${leaf} from ${q(targetModule)}`
      : `Use ${q(targetLeaf)} from ${q(targetModule)}`;
  return [{ title, edits, safe }];
}

/** An identifier that names a variable: not the attribute after a dot, nor a keyword argument's name. */
function readsName(n: PyNode): boolean {
  const p = n.parent;
  return (
    !(p?.type === 'attribute' && n.field === 'attribute') &&
    !(p?.type === 'keyword_argument' && n.field === 'name')
  );
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
      const fixes = importFix(
        mod,
        modNode,
        nameNode,
        leafNode,
        names.length,
        targetModule,
        targetLeaf,
        !!missing,
      );
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
