// obo-lint's entry point (dist/cli.js): wires the real analyser, parser and rule table into the CLI flow.
import { createProject } from '../analyser/analyse';
import { DOCS_BASE_URL, RULES } from '../../../shared/rules';
import { EXIT_USAGE, runCli } from './run';
import { packageVersion } from './version';

runCli(process.argv.slice(2), {
  createProject,
  rules: RULES,
  docsBaseUrl: DOCS_BASE_URL,
  version: packageVersion(),
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    // exitCode rather than exit(): a large report piped to another program must be flushed first.
    process.exitCode = code;
  },
  (e: unknown) => {
    const detail = process.env.OBO_DEBUG
      ? e instanceof Error
        ? e.stack
        : String(e)
      : e instanceof Error
        ? e.message
        : String(e);
    process.stderr.write(`obo-lint: internal error: ${detail}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
