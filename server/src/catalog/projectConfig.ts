// Reads catalog extensions from a project file: `[tool.obo]` in pyproject.toml, or a JSON/TOML file of entries.
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
