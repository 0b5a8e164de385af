// Where fuzz inputs come from: the machine's Python standard library, the project's fixtures and the seeds' agents.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { databricksCells, SEED_NOTEBOOKS, SEEDS, seedNotebook, splitNotebook, toIpynb } from '../seedForms';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const REGRESSIONS = path.join(FIXTURES, 'fuzz', 'regressions');

export type Budget = 'ci' | 'long';

export function budgetFromEnv(): Budget {
  return process.env.OBO_FUZZ_BUDGET === 'long' ? 'long' : 'ci';
}

/** The stdlib directory of the python3 on PATH, or undefined when there is none (the stdlib slice is then skipped). */
export function stdlibDir(): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], {
      encoding: 'utf8',
      timeout: 20_000,
    }).trim();
    return fs.existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function walk(
  dir: string,
  keep: (file: string) => boolean,
  skipDir: (name: string) => boolean,
  out: string[],
): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skipDir(e.name)) {
        walk(p, keep, skipDir, out);
      }
    } else if (e.isFile() && keep(p)) {
      out.push(p);
    }
  }
  return out;
}

/** Every .py of the standard library (third-party site-packages excluded), sorted so samples are stable. */
export function stdlibFiles(dir: string): string[] {
  return walk(
    dir,
    (f) => f.endsWith('.py'),
    (name) => name === 'site-packages' || name === '__pycache__',
    [],
  ).sort();
}

/**
 * The project's own inputs: every .py / .ipynb fixture (the seed notebooks included), except the fuzz regressions,
 * which are replayed as they are rather than mutated further.
 */
export function corpusFiles(): string[] {
  return walk(
    FIXTURES,
    (f) => /\.(py|ipynb)$/.test(f),
    (name) => name === 'regressions' || name === 'node_modules',
    [],
  ).sort();
}

/** The canonical seed notebooks (test/fixtures/seeds), which the ci sample always includes. */
export const SEED_FIXTURES = Object.values(SEED_NOTEBOOKS).map((n) => path.join(SEEDS, n.file));

/**
 * The forms the tests derive from each seed notebook, under the names they would have on disk: the %%writefile
 * module where the notebook writes it, the logging cell, the notebook as Jupyter JSON (line-list sources for one,
 * a single string for the other, as the tests read them).
 */
export function derivedSeedForms(): { file: string; text: string }[] {
  return (Object.keys(SEED_NOTEBOOKS) as (keyof typeof SEED_NOTEBOOKS)[]).flatMap((name) => {
    const nb = seedNotebook(name);
    const stem = nb.path.replace(/\.py$/, '');
    const split = splitNotebook(nb);
    return [
      { file: path.join(SEEDS, split.agentName), text: `${split.agent}\n` },
      { file: `${stem}.driver.py`, text: `${split.driver}\n` },
      {
        file: `${stem}.ipynb`,
        text: toIpynb(databricksCells(nb.text), name === 'genie' ? 'string' : 'lines'),
      },
    ];
  });
}

/** The fixture files, then the seeds' derived forms. */
export function readCorpus(): { file: string; text: string }[] {
  return [
    ...corpusFiles().map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })),
    ...derivedSeedForms(),
  ];
}

export function relative(file: string): string {
  return path.relative(ROOT, file);
}
