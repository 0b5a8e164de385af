// Extracts the Python blocks of the seed documents (rendered web pages) into fuzz fixtures; run: node out/test/fuzz/seeds.js [dir].
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_NOTEBOOKS } from '../seedForms';

/** Seed documents whose code a fixture keeps (test/fixtures/seeds): the fuzz reads that, not a second extraction. */
const KEPT_AS_FIXTURES: ReadonlySet<string> = new Set(
  Object.values(SEED_NOTEBOOKS).map((n) => `${n.seed}.txt`),
);

/** A line that can only be Python (or a notebook magic), not prose. */
const CODE_START =
  /^\s*(?:from\s+[\w.]+\s+import\b|import\s+\w|def\s+\w|class\s+\w|async\s+def\b|@\w|return\b|yield\b|try:|except\b|finally:|else:|elif\s|if\s.*:\s*$|for\s.*:\s*$|while\s.*:\s*$|with\s.*:\s*$|raise\b|pass\s*$|%%?\w+|!\w|[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*(?:[-+*/]?=)\s*\S|[A-Za-z_][\w.]*\(.*|[)\]}],?\s*$|#)/;
/** Lines of page chrome that look like code to the pattern above but are not. */
const CHROME = /^\s*(?:#+\s*$|\d+\s*$)/;

function bracketDelta(line: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
    } else if (c === '#') {
      break;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
    }
  }
  return depth;
}

/**
 * Runs of code-looking lines (continued while brackets are open), at least two lines long. Pages that lost
 * their indentation give broken Python, which is as welcome here as the intact blocks.
 */
export function extractPython(page: string): string[] {
  const lines = page.split(/\r\n|\r|\n/);
  const blocks: string[] = [];
  let run: string[] = [];
  let depth = 0;
  const flush = () => {
    while (run.length && run[run.length - 1].trim() === '') {
      run.pop();
    }
    if (run.filter((l) => l.trim() && !l.trim().startsWith('#')).length >= 2) {
      blocks.push(run.join('\n'));
    }
    run = [];
    depth = 0;
  };
  for (const line of lines) {
    const code = depth > 0 || (CODE_START.test(line) && !CHROME.test(line));
    if (code) {
      run.push(line);
      depth = Math.max(0, depth + bracketDelta(line));
    } else if (line.trim() === '' && run.length) {
      run.push(line);
    } else {
      flush();
    }
  }
  flush();
  return blocks;
}

/** Writes one fixture per seed not kept as a fixture already: its blocks in page order, separated by blank lines. */
export function writeSeedFixtures(seedDir: string, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of fs.readdirSync(seedDir).sort()) {
    if (!name.endsWith('.txt') || KEPT_AS_FIXTURES.has(name)) {
      continue;
    }
    const blocks = extractPython(fs.readFileSync(path.join(seedDir, name), 'utf8'));
    if (!blocks.length) {
      continue;
    }
    const out = path.join(outDir, `seed_${name.replace(/\.txt$/, '')}.py`);
    fs.writeFileSync(
      out,
      `# Python blocks of seeds/${name}, extracted by test/fuzz/seeds.ts\n${blocks.join('\n\n')}\n`,
    );
    written.push(out);
  }
  return written;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const seedDir = process.argv[2] ?? '/work/shared/seeds';
  for (const f of writeSeedFixtures(seedDir, path.join(root, 'test', 'fixtures', 'fuzz', 'seeds'))) {
    console.log(path.relative(root, f), fs.statSync(f).size, 'bytes');
  }
}
