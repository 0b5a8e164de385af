// Benchmark: full-analysis throughput (MB/s) over generated agent projects and every .py of the local python3 standard library.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createProject } from '../../server/src/analyser/analyse';
import type { Project } from '../../server/src/analyser/project';
import { agentProject, writeTree } from './corpus';
import { msSince, report, type Figures } from './report';

const PROJECTS = 200;

interface Job {
  /** What the slowest-file line names. */
  name: string;
  files: { path: string; text: string }[];
}

interface Totals {
  files: number;
  bytes: number;
  ms: number;
  findings: number;
  slowest: { name: string; ms: number; bytes: number };
}

/** The standard library's .py files (no site-packages, no caches); undefined when python3 is not installed. */
function stdlibFiles(): string[] | undefined {
  const r = spawnSync('python3', ['-c', "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], {
    encoding: 'utf8',
  });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  if (!dir || !fs.existsSync(dir)) {
    return undefined;
  }
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'site-packages' && e.name !== '__pycache__') {
        walk(full);
      } else if (e.isFile() && e.name.endsWith('.py')) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Each job's files go into the project together (so an agent links to its log site), are analysed, and are
 * removed again: every file is parsed exactly once and timed with its analysis, and no job pays for the
 * ones before it. The prefilter is bypassed: this measures the analyser on everything.
 */
async function analyse(project: Project, jobs: Iterable<Job>): Promise<Totals> {
  const t: Totals = { files: 0, bytes: 0, ms: 0, findings: 0, slowest: { name: '', ms: 0, bytes: 0 } };
  for (const job of jobs) {
    const bytes = job.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    const start = process.hrtime.bigint();
    for (const f of job.files) {
      project.setDocument(f);
    }
    for (const list of project.findings().values()) {
      t.findings += list.length;
    }
    const ms = msSince(start);
    for (const f of job.files) {
      project.removeDocument(f.path);
    }
    t.files += job.files.length;
    t.bytes += bytes;
    t.ms += ms;
    if (ms > t.slowest.ms) {
      t.slowest = { name: job.name, ms, bytes };
    }
  }
  return t;
}

function figures(t: Totals): Figures {
  return {
    files: t.files,
    MB: t.bytes / 1e6,
    seconds: t.ms / 1000,
    'MB/s': t.bytes / 1e6 / (t.ms / 1000),
    findings: t.findings,
    'slowest file': `${t.slowest.name} (${t.slowest.ms.toFixed(0)} ms, ${(t.slowest.bytes / 1e3).toFixed(0)} KB)`,
  };
}

export async function run(): Promise<void> {
  // Files the analysis asks for are the job's own (all set as documents): nothing is parsed twice.
  const project = await createProject({ readFile: () => undefined });

  const root = writeTree(
    'obo-bench-agents-',
    Array.from({ length: PROJECTS }, (_, i) =>
      Object.entries(agentProject(i)).map(([f, t]) => [`p${i}/${f}`, t]),
    )
      .flat()
      .map(([f, t]) => [f, t] as [string, string]),
  );
  try {
    const jobs: Job[] = Array.from({ length: PROJECTS }, (_, i) => {
      const dir = path.join(root, `p${i}`);
      return {
        name: `p${i}/`,
        files: fs
          .readdirSync(dir)
          .map((f) => ({ path: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), 'utf8') })),
      };
    });
    const agents = await analyse(project, jobs);
    report(`full analysis: ${PROJECTS} generated agent projects`, figures(agents));

    const stdlib = stdlibFiles();
    if (!stdlib) {
      report('full analysis: python3 standard library', { skipped: 'python3 not found' });
      return;
    }
    const base = path.dirname(stdlib[0]);
    const std = await analyse(
      project,
      (function* () {
        for (const f of stdlib) {
          yield { name: path.relative(base, f), files: [{ path: f, text: fs.readFileSync(f, 'utf8') }] };
        }
      })(),
    );
    report(`full analysis: python3 standard library (${base})`, figures(std));
    const all: Totals = {
      files: agents.files + std.files,
      bytes: agents.bytes + std.bytes,
      ms: agents.ms + std.ms,
      findings: agents.findings + std.findings,
      slowest: agents.slowest.ms > std.slowest.ms ? agents.slowest : std.slowest,
    };
    report('full analysis: whole corpus', figures(all));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
