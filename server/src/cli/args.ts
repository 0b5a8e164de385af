// Parses obo-lint's command line; never throws, returns a usage error instead.

export type Format = 'text' | 'json' | 'sarif';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

export interface CliArgs {
  format: Format;
  config?: string;
  paths: string[];
  help: boolean;
  version: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs | { error: string } {
  const args: CliArgs = { format: 'text', paths: [], help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const valueOf = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '-V':
      case '--version':
        args.version = true;
        break;
      case '-f':
      case '--format': {
        const v = valueOf();
        if (v === undefined || !FORMATS.includes(v as Format)) {
          return {
            error: `--format needs one of ${FORMATS.join(', ')}${v === undefined ? '' : ` (got "${v}")`}`,
          };
        }
        args.format = v as Format;
        break;
      }
      case '--config': {
        const v = valueOf();
        if (!v) {
          return { error: '--config needs a file' };
        }
        args.config = v;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') {
          return { error: `unknown option ${flag}` };
        }
        args.paths.push(a);
    }
  }
  return args;
}

export const HELP = `obo-lint: find on-behalf-of-user (OBO) mistakes in Databricks AI agent code.

Usage: obo-lint [--format text|json|sarif] [--config FILE] [PATH...]

PATH is a file or a folder (default: the current folder). Folders are walked for .py and .ipynb files,
skipping .git, node_modules, virtualenvs (.venv, venv, any folder with a pyvenv.cfg), site-packages,
__pycache__ and whatever .gitignore files ignore. Files named on the command line are always read.
Only files that mention an agent, a log site or a Databricks client are analysed; the modules they
import are read as needed. Nothing is ever executed.

Options:
  -f, --format FORMAT  text (default), json or sarif
      --config FILE    catalog extensions for in-house wrappers: a JSON or TOML file with consumers,
                       userClients, methods and scopes (at the top level, or under [tool.obo] in a
                       pyproject.toml). Without it, [tool.obo] of ./pyproject.toml is used when present.
  -h, --help           show this help
  -V, --version        show the version

Output:
  text   path:line:col: CODE message, one per finding, then a summary line. Lines and columns are 1-based.
         Findings in a Jupyter notebook read path:cell N:line:col: where N is the 1-based position of the
         cell among all cells (markdown included) and the line counts within that cell.
  json   {"version": 1, "findings": [{"file", "line", "column", "endLine", "endColumn", "code", "severity",
         "message", "cell"?}]}, sorted by file, line and column. Lines and columns are 1-based (endColumn is
         exclusive); "cell" is the 0-based cell index of a .ipynb, and lines then count within the cell.
  sarif  SARIF 2.1.0, for code scanning.
  Paths are shown relative to the current folder.

Exit status:
  0  no error-level finding
  1  at least one error-level finding
  2  bad usage, an unreadable path or config (the other files are still reported)
`;
