// Completion context from the last analysis: inside which list the cursor is, what is declared, what to offer first.
import type { Catalog } from '../catalog/types';
import type { AnalysisResult } from './analyse';
import { locate } from './describe';
import type { ModuleModel } from './engine/program';
import { posOf } from './engine/locations';
import { ensureImport } from './fixes/edits';
import type { TextEdit } from './model';
import type { CompletionContext } from './project';
import { offsetAt } from './python/parser';
import type { PyNode } from './python/tree';
import type { Position } from './model';
import { toRealLocation } from './sources/unit';

const listOpeners = new WeakMap<Catalog, { re: RegExp; scopeWords: Set<string> }>();

/** `api_scopes=[`, `resources=[`, `UserAuthPolicy([`, `SystemAuthPolicy([`: the keywords and classes from the catalog. */
function listOpener(catalog: Catalog): { re: RegExp; scopeWords: Set<string> } {
  let o = listOpeners.get(catalog);
  if (!o) {
    const m = catalog.mlflow;
    const leaf = (q: string) => q.slice(q.lastIndexOf('.') + 1);
    const keywords = [m.scopesArg.keyword, m.systemResourcesArg.keyword, m.resourcesKeyword];
    const users = catalog.userAuthPolicyClass.map(leaf);
    const classes = [...users, ...catalog.systemAuthPolicyClass.map(leaf)];
    const alt = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].join('|');
    o = {
      re: new RegExp(`(${alt(keywords)})\\s*=\\s*\\[|(${alt(classes)})\\s*\\(\\s*\\[`, 'g'),
      scopeWords: new Set([m.scopesArg.keyword ?? '', ...users]),
    };
    listOpeners.set(catalog, o);
  }
  return o;
}

export function completionAt(
  r: AnalysisResult,
  file: string,
  pos: Position,
  cell?: number,
): CompletionContext | undefined {
  const hit = locate(r, file, pos, cell);
  if (!hit) {
    return undefined;
  }
  const { mod, at } = hit;
  const src = mod.src;
  const offset = offsetAt(src, at);
  const before = src.slice(Math.max(0, offset - 4000), offset);
  let open: { kind: 'scope' | 'resource'; index: number } | undefined;
  const opener = listOpener(r.cat.catalog);
  for (const m of before.matchAll(opener.re)) {
    const kind = opener.scopeWords.has(m[1] ?? m[2]) ? 'scope' : 'resource';
    open = { kind, index: (m.index ?? 0) + m[0].length };
  }
  if (!open) {
    return undefined;
  }
  const inside = before.slice(open.index);
  const declared = listEntries(src, open.index, offset);
  if (!declared) {
    return undefined;
  }
  const quote = /(["'])([^"'\n]*)$/.exec(inside);
  const openQuotes = (inside.match(/["']/g) ?? []).length % 2 === 1;
  let replace;
  if (quote && openQuotes) {
    const startOffset = offset - quote[2].length;
    replace = toRealLocation(mod.unit, { start: posOf(mod, startOffset), end: posOf(mod, offset) });
  }
  // The last analysis may predate what is being typed (a half-typed list does not parse): leave out what the typed
  // entries already satisfy, and follow the naming family they use.
  const book = r.cat.scopes;
  const missing: string[] = [];
  for (const report of r.reports) {
    for (const s of report.logSites) {
      if (s.location.file === file) {
        const toAdd =
          open.kind === 'scope' ? s.toAdd.filter((m) => !declared.some((d) => book.satisfies(d, m))) : [];
        for (const m of book.spell(toAdd, book.familyOf(declared))) {
          if (!missing.includes(m)) {
            missing.push(m);
          }
        }
      }
    }
  }
  const imports = open.kind === 'resource' ? resourceImports(r, mod, offset) : undefined;
  return { kind: open.kind, missing, declared, replace, imports };
}

/** The import each resource class needs at `offset`, placed by the same code as the fixes' imports. */
function resourceImports(r: AnalysisResult, mod: ModuleModel, offset: number): Record<string, TextEdit> {
  const at = statementAt(mod.root, offset);
  const imports: Record<string, TextEdit> = {};
  for (const row of r.cat.catalog.resources) {
    const e = ensureImport(mod, r.cat.mlflow.resourcesModule, [row.name], at);
    if (e) {
      imports[row.name] = e;
    }
  }
  return imports;
}

/** The top-level statement holding `offset` (the last one before it when it sits between statements). */
function statementAt(root: PyNode, offset: number): PyNode {
  let at = root.children[0] ?? root;
  for (const c of root.children) {
    if (c.start > offset) {
      break;
    }
    at = c;
  }
  return at;
}

/**
 * The complete string literals of the list opened at `open` (before the cursor and after it), leaving out the one
 * the cursor is in: that one is being typed, so offering it again is right. Undefined when the cursor is past the
 * list's end.
 */
export function listEntries(src: string, open: number, offset: number): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  for (let i = open; i < Math.min(src.length, open + 8000); i++) {
    const ch = src[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== ch && src[j] !== '\n') {
        j += src[j] === '\\' ? 2 : 1;
      }
      if (src[j] === ch && !(offset > i && offset <= j)) {
        out.push(src.slice(i + 1, j));
      }
      i = j;
    } else if (ch === '#') {
      while (i < src.length && src[i] !== '\n') {
        i++;
      }
    } else if (ch === '[' || ch === '(') {
      depth++;
    } else if (ch === ']' || ch === ')') {
      if (depth === 0) {
        return offset <= i ? out : undefined;
      }
      depth--;
    }
  }
  return out;
}
