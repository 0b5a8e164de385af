// Loads catalog extensions for the CLI: `--config FILE` (JSON or TOML), else `[tool.obo]` of ./pyproject.toml when present.
import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_CATALOG } from '../catalog/data';
import { extendCatalog } from '../catalog/extend';
import type { Catalog } from '../catalog/types';
import { readProjectConfig, readPyproject } from '../catalog/projectConfig';
import type { TomlTable } from '../catalog/toml';
import { describeError } from './walk';

export interface ConfigResult {
  catalog: Catalog;
  /** Problems that make the run a usage error (exit 2): only for a file named with --config. */
  errors: string[];
  /** Problems with an auto-discovered pyproject.toml: shown, but not fatal. */
  warnings: string[];
}

export function loadConfig(explicit: string | undefined, cwd: string): ConfigResult {
  if (explicit) {
    const r = readExplicit(path.resolve(cwd, explicit), explicit);
    return { catalog: r.catalog, errors: r.errors, warnings: [] };
  }
  const config = readPyproject(cwd);
  if (!config.section) {
    return {
      catalog: BUILTIN_CATALOG,
      errors: [],
      warnings: config.problems.map((p) => `pyproject.toml: ${p}`),
    };
  }
  return { errors: [], ...extendWith(config.section, 'pyproject.toml', config.problems) };
}

/** A file named with --config: JSON or TOML; any problem with it is a usage error. */
function readExplicit(file: string, shown: string): { catalog: Catalog; errors: string[] } {
  const fail = (message: string) => ({ catalog: BUILTIN_CATALOG, errors: [`${shown}: ${message}`] });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read config: ${describeError(e)}`);
  }
  const config = readProjectConfig(text, /\.json$/i.test(file));
  if (!config.section) {
    return fail(config.problems[0] ?? 'no [tool.obo] section or catalog entries');
  }
  const r = extendWith(config.section, shown, config.problems);
  return { catalog: r.catalog, errors: r.warnings };
}

/** The built-in catalog extended with a config section; the reader's and the extension's problems, prefixed. */
function extendWith(
  section: TomlTable,
  shown: string,
  problems: string[],
): { catalog: Catalog; warnings: string[] } {
  const extended = extendCatalog(BUILTIN_CATALOG, section);
  return {
    catalog: extended.catalog,
    warnings: [...problems, ...extended.problems].map((p) => `${shown}: ${p}`),
  };
}
