// Benchmark: time to find the agent files (walk + read + prefilter) in a generated 10,000-file folder, ~2% agent-like.
import * as fs from 'fs';
import * as path from 'path';
import { mayMatter } from '../../server/src/analyser/sources/prefilter';
import { BUILTIN_CATALOG } from '../../server/src/catalog/data';
import { findFiles } from '../../server/src/cli/walk';
import { agentProject, plainModule, writeTree } from './corpus';
import { msSince, report } from './report';

const TOTAL = 10_000;

/**
 * 50 packages × 4 folders × 50 files, with what real repositories hold beside code: a .gitignored build
 * folder, a virtualenv and non-Python files, all counted in the 10,000.
 */
function* files(): Generator<[string, string]> {
  let agentIndex = 0;
  // The .gitignore is the 10,000th file.
  for (let n = 0; n < TOTAL - 1; n++) {
    const dir = `pkg${Math.floor(n / 200)}/part${Math.floor(n / 50) % 4}`;
    if (n % 50 === 7) {
      // ~2% agent-like: an agent module or a notebook from the generated projects.
      const project = agentProject(agentIndex++);
      const [name, text] = Object.entries(project)[0];
      yield [`${dir}/${agentIndex}_${name}`, text];
    } else if (n < 300) {
      yield [`.venv/lib/python3.11/site-packages/lib${n}.py`, plainModule(n)];
    } else if (n < 500) {
      yield [`build/lib/copy${n}.py`, plainModule(n)];
    } else if (n % 25 === 3) {
      yield [`${dir}/notes${n}.md`, `# Notes ${n}\n`];
    } else {
      yield [`${dir}/mod${n}.py`, plainModule(n)];
    }
  }
  yield ['.gitignore', 'build/\n'];
}

function find(root: string): {
  walkMs: number;
  readMs: number;
  found: number;
  agents: number;
  bytes: number;
} {
  const t0 = process.hrtime.bigint();
  const walked = findFiles([root], root);
  const walkMs = msSince(t0);
  const t1 = process.hrtime.bigint();
  let agents = 0;
  let bytes = 0;
  for (const f of walked.files) {
    const text = fs.readFileSync(f, 'utf8');
    bytes += text.length;
    if (mayMatter(text, BUILTIN_CATALOG)) {
      agents++;
    }
  }
  return { walkMs, readMs: msSince(t1), found: walked.files.length, agents, bytes };
}

export async function run(): Promise<void> {
  const root = writeTree('obo-bench-find-', files());
  try {
    const first = find(root);
    const rest = [find(root), find(root), find(root)];
    const best = rest.reduce((a, b) => (a.walkMs + a.readMs <= b.walkMs + b.readMs ? a : b));
    const generated = fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile()).length;
    report('find agent files in a 10,000-file folder (walk + read + prefilter)', {
      'files in folder': generated,
      'files walked (.py/.ipynb, not ignored)': best.found,
      'agent files found': best.agents,
      'MB read': best.bytes / 1e6,
      'first run ms': first.walkMs + first.readMs,
      'best of 3 ms': best.walkMs + best.readMs,
      '  of which walk ms': best.walkMs,
      '  of which read + prefilter ms': best.readMs,
      folder: path.basename(root),
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
