// Reads catalog extensions from a project file: `[tool.obo]` in pyproject.toml, or a JSON/TOML file of entries.
import * as fs from 'fs';
import * as path from 'path';
import { parseToml, type TomlTable } from './toml';

const KNOWN_KEYS = new Set(['consumers', 'userClients', 'methods', 'scopes']);

export interface ProjectConfig {
  /** The entries to hand to `extendCatalog`; undefined when the file says nothing about us. */
  section?: TomlTable;
  /** Why the file or some keys were not understood (never thrown). */
  problems: string[];
}

/** Cheap test before parsing: most pyproject files have no `[tool.obo]`. */
export function mentionsToolObo(text: string): boolean {
  return /^\s*\[\[?\s*tool\.obo\b/m.test(text);
}

/**
 * Parses `text` (JSON when `json`, TOML otherwise) and picks `[tool.obo]`, its `catalog` sub-table, or — for a
 * dedicated file — the whole document when it holds catalog keys.
 */
export function readProjectConfig(text: string, json: boolean): ProjectConfig {
  let root: unknown;
  try {
    root = json ? JSON.parse(text) : parseToml(text);
  } catch (e) {
    return { problems: [`not valid ${json ? 'JSON' : 'TOML'}: ${e instanceof Error ? e.message : e}`] };
  }
  const section = pickSection(root);
  if (!section) {
    return { problems: [] };
  }
  const problems = Object.keys(section)
    .filter((k) => !KNOWN_KEYS.has(k))
    .map((k) => `unknown key \`${k}\` (expected ${[...KNOWN_KEYS].join(', ')})`);
  return { section, problems };
}

/**
 * `[tool.obo]` of `<folder>/pyproject.toml`, read the same way by the CLI (its working folder) and the language server
 * (each workspace folder). No file, or one that never mentions `[tool.obo]` (most), gives no section and no problem.
 */
export function readPyproject(folder: string): ProjectConfig & { file: string } {
  const file = path.join(folder, 'pyproject.toml');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { file, problems: [] };
  }
  // Most pyproject files say nothing about us; do not even parse those.
  return { file, ...(mentionsToolObo(text) ? readProjectConfig(text, false) : { problems: [] }) };
}

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
