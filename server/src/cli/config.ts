// Loads catalog extensions for the CLI: `--config FILE` (JSON or TOML), else `[tool.obo]` of ./pyproject.toml when present.
import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_CATALOG } from '../catalog/data';
import { extendCatalog } from '../catalog/extend';
import type { Catalog } from '../catalog/types';
import { mentionsToolObo, readProjectConfig } from '../catalog/projectConfig';
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
  if (!mentionsToolObo(text)) {
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
  const config = readProjectConfig(text, /\.json$/i.test(file));
  if (!config.section) {
    return explicit
      ? fail(config.problems[0] ?? 'no [tool.obo] section or catalog entries')
      : { catalog: BUILTIN_CATALOG, problems: config.problems.map((p) => `${shown}: ${p}`) };
  }
  const extended = extendCatalog(BUILTIN_CATALOG, config.section);
  return {
    catalog: extended.catalog,
    problems: [...config.problems, ...extended.problems].map((p) => `${shown}: ${p}`),
  };
}
