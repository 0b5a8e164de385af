// The imported names the catalog knows a better path for, with the fix importing it: read by OBO402 (legacy) and OBO403 (missing).
import type { LegacyImportRow, MissingApiRow } from '../../catalog/types';
import type { ModuleModel } from '../engine/program';
import type { Site } from '../engine/values';
import { replaceNode } from '../fixes/edits';
import type { Fix } from '../model';
import { child, type PyNode, textOf, visit } from '../python/tree';
import type { RuleContext } from './context';
import { q } from './text';

/** One `from x import y` name with a catalog row: an API that does not exist, or else a legacy path. */
export interface ImportTarget {
  /** The imported name (its leaf, not the alias). */
  site: Site;
  /** `x.y` as written. */
  qualified: string;
  missing?: MissingApiRow;
  legacy?: LegacyImportRow;
  /** The dotted path to import instead. */
  target: string;
  targetModule: string;
  targetLeaf: string;
  fixes?: Fix[];
}

/** Every such name in the project's documents, in document and statement order; computed once per project. */
export function importTargets(ctx: RuleContext): ImportTarget[] {
  return ctx.shared(scanDocuments);
}

function scanDocuments(ctx: RuleContext): ImportTarget[] {
  return ctx.documents.flatMap((mod) => scanModule(mod, ctx));
}

function scanModule(mod: ModuleModel, { cat }: RuleContext): ImportTarget[] {
  const src = mod.src;
  const out: ImportTarget[] = [];
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
      out.push({
        site: { mod, node: leafNode },
        qualified,
        missing,
        legacy,
        target,
        targetModule,
        targetLeaf,
        fixes,
      });
    }
  }
  return out;
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
