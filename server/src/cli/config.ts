// Loads catalog extensions for the CLI: `--config FILE` (JSON or TOML), else `[tool.obo]` of ./pyproject.toml when present.
import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_CATALOG } from '../catalog/data';
import { extendCatalog } from '../catalog/extend';
import type { Catalog } from '../catalog/types';
import { parseToml, type TomlTable } from './toml';
import { describeError } from './walk';

const KNOWN_KEYS = new Set(['consumers', 'userClients', 'methods', 'scopes']);

export interface ConfigResult {
  catalog: Catalog;
  /** Problems that make the run a usage error (exit 2): only for a file named with --config. */
  errors: string[];
  /** Problems with an auto-discovered pyproject.toml: shown, but not fatal. */
  warnings: string[];
}

export function loadConfig(explicit: string | undefined, cwd: string): ConfigResult {
  if (explicit) {
    const problems = readConfig(path.resolve(cwd, explicit), explicit, true);
    return { catalog: problems.catalog, errors: problems.problems, warnings: [] };
  }
  const pyproject = path.join(cwd, 'pyproject.toml');
  let text: string;
  try {
    text = fs.readFileSync(pyproject, 'utf8');
  } catch {
    return { catalog: BUILTIN_CATALOG, errors: [], warnings: [] };
  }
  // Most pyproject files say nothing about us; do not even parse those.
  if (!/^\s*\[\[?\s*tool\.obo\b/m.test(text)) {
    return { catalog: BUILTIN_CATALOG, errors: [], warnings: [] };
  }
  const r = readConfig(pyproject, 'pyproject.toml', false, text);
  return { catalog: r.catalog, errors: [], warnings: r.problems };
}

function readConfig(
  file: string,
  shown: string,
  explicit: boolean,
  text?: string,
): { catalog: Catalog; problems: string[] } {
  const fail = (message: string) => ({ catalog: BUILTIN_CATALOG, problems: [`${shown}: ${message}`] });
  try {
    text ??= fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read config: ${describeError(e)}`);
  }
  let root: unknown;
  try {
    root = /\.json$/i.test(file) ? JSON.parse(text) : parseToml(text);
  } catch (e) {
    return fail(
      `not valid ${/\.json$/i.test(file) ? 'JSON' : 'TOML'}: ${e instanceof Error ? e.message : e}`,
    );
  }
  const section = pickSection(root);
  if (section === undefined) {
    return explicit
      ? fail('no [tool.obo] section or catalog entries')
      : { catalog: BUILTIN_CATALOG, problems: [] };
  }
  const problems = Object.keys(section)
    .filter((k) => !KNOWN_KEYS.has(k))
    .map((k) => `${shown}: unknown key \`${k}\` (expected ${[...KNOWN_KEYS].join(', ')})`);
  const extended = extendCatalog(BUILTIN_CATALOG, section);
  return {
    catalog: extended.catalog,
    problems: [...problems, ...extended.problems.map((p) => `${shown}: ${p}`)],
  };
}

/** `[tool.obo]` (pyproject) or the whole file; a `catalog` sub-table is accepted too, like the editor setting. */
function pickSection(root: unknown): TomlTable | undefined {
  if (!isTable(root)) {
    return undefined;
  }
  const tool = isTable(root.tool) && isTable(root.tool.obo) ? root.tool.obo : undefined;
  const section = tool ?? root;
  if (isTable(section.catalog)) {
    return section.catalog;
  }
  return tool || Object.keys(root).some((k) => KNOWN_KEYS.has(k)) ? section : undefined;
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
