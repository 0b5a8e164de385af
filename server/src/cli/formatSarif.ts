// `--format sarif`: SARIF 2.1.0 for code scanning, with the rule table as the driver's rules and doc links as helpUri.
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Location, Severity } from '../analyser/model';
import type { Row } from './rows';

/** The rule facts SARIF needs; the registry's `RULES` fits this shape. */
export interface SarifRule {
  code: string;
  title: string;
  defaultSeverity: Severity;
  /** Repository-relative doc page, e.g. `docs/rules/OBO101.md`. */
  doc: string;
}

export interface SarifOptions {
  rules: readonly SarifRule[];
  /** Absolute URL the rules' `doc` paths are relative to (SARIF wants absolute help URIs). */
  docsBaseUrl: string;
  version: string;
  cwd: string;
}

const LEVEL: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};
const SRCROOT = '%SRCROOT%';

export function formatSarif(rows: readonly Row[], options: SarifOptions): string {
  const rules = [...options.rules];
  // A finding whose code the table lacks still gets a rule entry, so every ruleIndex resolves.
  for (const r of rows) {
    if (!rules.some((x) => x.code === r.code)) {
      rules.push({
        code: r.code,
        title: r.code,
        defaultSeverity: r.severity,
        doc: `docs/rules/${r.code}.md`,
      });
    }
  }
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const results = rows.map((r) => {
    const result: Record<string, unknown> = {
      ruleId: r.code,
      ruleIndex: index.get(r.code),
      level: LEVEL[r.severity],
      message: {
        text: r.cell !== undefined ? `${r.message} (cell ${r.cell + 1}, line ${r.line})` : r.message,
      },
      locations: [physical(r.finding.location, options.cwd)],
    };
    if (r.cell !== undefined) {
      result.properties = { cell: r.cell, line: r.line, column: r.column };
    }
    if (r.finding.related?.length) {
      result.relatedLocations = r.finding.related.map((rel, id) => ({
        id,
        ...physical(rel.location, options.cwd),
        message: { text: rel.message },
      }));
    }
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'obo-lint',
            version: options.version,
            informationUri: options.docsBaseUrl,
            rules: rules.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              fullDescription: { text: r.title },
              helpUri: new URL(r.doc, options.docsBaseUrl).href,
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] ?? 'warning' },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd + path.sep).href } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/**
 * Paths under the working folder are relative to %SRCROOT% (what code scanning expects); others are absolute
 * file URIs. SARIF regions count lines of the file, which for a .ipynb is its JSON: notebook results carry
 * the cell and cell line in `properties` and the message instead of a wrong region.
 */
function physical(loc: Location, cwd: string): Record<string, unknown> {
  const rel = path.relative(cwd, loc.file);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const artifactLocation = inside
    ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT }
    : { uri: pathToFileURL(loc.file).href };
  const physicalLocation: Record<string, unknown> = { artifactLocation };
  if (loc.cell === undefined) {
    const { start, end } = loc.range;
    physicalLocation.region = {
      startLine: start.line + 1,
      startColumn: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
  }
  return { physicalLocation };
}
