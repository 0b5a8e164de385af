// Helpers for the CLI tests: paths, running dist/cli.js, temporary trees, and a stand-in analyser for in-process runs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding, InputDocument } from '../../server/src/analyser/model';
import type { Project, ProjectOptions } from '../../server/src/analyser/project';
import { extractUnits } from '../../server/src/analyser/sources/extract';
import { toRealLocation } from '../../server/src/analyser/sources/unit';
import type { CliDeps } from '../../server/src/cli/run';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI as users do, with a fixed cwd so displayed paths are predictable. */
export function runCli(args: string[], cwd: string = FIXTURES): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tree under the OS temp folder; a value `{ link }` makes a symbolic link. Returns the root. */
export function makeTree(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') {
      fs.writeFileSync(full, content);
    } else {
      fs.symlinkSync(content.link, full);
    }
  }
  return root;
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** An agent module with the obvious OBO101 mistake: a user client built at module top level. */
export const BAD_AGENT = [
  'from databricks.sdk import WorkspaceClient',
  'from databricks_ai_bridge import ModelServingUserCredentials',
  'from mlflow.pyfunc import ResponsesAgent',
  '',
  'user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
  '',
  '',
  'class A(ResponsesAgent):',
  '    def predict(self, request):',
  '        return user_client.current_user.me()',
  '',
].join('\n');

/**
 * A stand-in analyser for in-process tests of the CLI's own behaviour (formats, exit codes, walking): it flags
 * a top-level `x = WorkspaceClient(credentials_strategy=` in a unit that mentions ResponsesAgent as OBO101,
 * `# stub-warning` as OBO202 and `# stub-hint` as OBO402, mapped through the real source extraction.
 */
export function stubProject(
  options: ProjectOptions = {},
): Project & { documents: Map<string, InputDocument> } {
  const documents = new Map<string, InputDocument>();
  const findingsOf = (doc: InputDocument): Finding[] => {
    const out: Finding[] = [];
    for (const unit of extractUnits(doc).units) {
      const agent = unit.text.includes('ResponsesAgent');
      unit.text.split('\n').forEach((line, i) => {
        const add = (
          code: Finding['code'],
          severity: Finding['severity'],
          at: number,
          len: number,
          message: string,
        ) =>
          out.push({
            code,
            severity,
            message,
            location: toRealLocation(unit, {
              start: { line: i, character: at },
              end: { line: i, character: at + len },
            }),
          });
        const m = /^\w+ = (WorkspaceClient)\(credentials_strategy=/.exec(line);
        if (agent && m) {
          add(
            'OBO101',
            'error',
            line.indexOf(m[1]),
            line.indexOf(')') + 1 - line.indexOf(m[1]),
            'user client built at init',
          );
        }
        if (line.includes('# stub-warning')) {
          add('OBO202', 'warning', line.indexOf('#'), 14, 'unused scope\nsecond line');
        }
        if (line.includes('# stub-hint')) {
          add('OBO402', 'hint', line.indexOf('#'), 11, 'legacy import');
        }
      });
    }
    return out;
  };
  return {
    documents,
    setDocument: (doc) => void documents.set(doc.path, doc),
    removeDocument: (p) => void documents.delete(p),
    hasDocument: (p) => documents.has(p),
    findings: () => new Map([...documents.values()].map((d) => [d.path, findingsOf(d)])),
    findingsFor: (p) => (documents.has(p) ? findingsOf(documents.get(p)!) : []),
    dependents: () => [],
    agentReports: () => [],
    describeAt: () => undefined,
    completionAt: () => {
      void options;
      return undefined;
    },
  };
}

/** Dependencies for an in-process run, capturing output. */
export function captureDeps(cwd: string, project: (o: ProjectOptions) => Project = stubProject) {
  const out = { stdout: '', stderr: '', options: [] as ProjectOptions[] };
  const deps: CliDeps = {
    createProject: (o) => {
      out.options.push(o);
      return project(o);
    },
    rules: [
      { code: 'OBO101', title: 'User client at init', defaultSeverity: 'error', doc: 'docs/rules/OBO101.md' },
      { code: 'OBO202', title: 'Unused scope', defaultSeverity: 'warning', doc: 'docs/rules/OBO202.md' },
    ],
    docsBaseUrl: 'https://example.test/repo/blob/main/',
    version: '9.9.9',
    cwd,
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
  };
  return { deps, out };
}
