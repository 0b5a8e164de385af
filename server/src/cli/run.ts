// The CLI's flow with its dependencies passed in: arguments → config → files → analysis → output and exit status.
import * as path from 'path';
import type { Project, ProjectOptions } from '../analyser/project';
import { HELP, parseArgs } from './args';
import { loadConfig } from './config';
import { formatJson } from './formatJson';
import { formatSarif, type SarifRule } from './formatSarif';
import { formatText } from './formatText';
import { lintFiles } from './lint';
import { countRows, displayPath, toRows } from './rows';
import { findFiles, type InputError } from './walk';

export interface CliDeps {
  createProject: (options: ProjectOptions) => Project | Promise<Project>;
  rules: readonly SarifRule[];
  docsBaseUrl: string;
  version: string;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const args = parseArgs(argv);
  if ('error' in args) {
    deps.stderr(`obo-lint: ${args.error}\nRun obo-lint --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    deps.stdout(HELP);
    return EXIT_OK;
  }
  if (args.version) {
    deps.stdout(`obo-lint ${deps.version}\n`);
    return EXIT_OK;
  }

  const config = loadConfig(args.config, deps.cwd);
  for (const w of config.warnings) {
    deps.stderr(`obo-lint: warning: ${w}\n`);
  }
  const problems: string[] = [...config.errors];

  const walked = findFiles(args.paths.length ? args.paths : ['.'], deps.cwd);
  const inputErrors: InputError[] = [...walked.errors];
  const result = await lintFiles(walked.files, {
    createProject: deps.createProject,
    catalog: config.catalog,
  });
  inputErrors.push(...result.errors);
  for (const e of inputErrors) {
    problems.push(
      `cannot read ${path.isAbsolute(e.path) ? displayPath(e.path, deps.cwd) : e.path}: ${e.message}`,
    );
  }
  problems.push(...result.internalErrors);

  const rows = toRows(result.findings, deps.cwd);
  const counts = countRows(rows);
  if (args.format === 'json') {
    deps.stdout(formatJson(rows));
  } else if (args.format === 'sarif') {
    deps.stdout(
      formatSarif(rows, {
        rules: deps.rules,
        docsBaseUrl: deps.docsBaseUrl,
        version: deps.version,
        cwd: deps.cwd,
      }),
    );
  } else {
    deps.stdout(formatText(rows, counts));
  }
  for (const p of problems) {
    deps.stderr(`obo-lint: ${p}\n`);
  }
  if (problems.length) {
    return EXIT_USAGE;
  }
  return counts.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
