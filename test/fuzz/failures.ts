// Saves a failing input where it can be promoted to a regression fixture, and replays the regression fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextChange } from '../../server/src/analyser/project';
import { REGRESSIONS, ROOT } from './corpus';
import type { FuzzInput, Outcome } from './harness';

export const FAILURES = path.join(ROOT, 'out', 'fuzz-failures');

/** The on-disk form of an input that needs more than a text (cells or an edit stream). */
interface JsonFixture {
  path: string;
  text?: string;
  cells?: FuzzInput['cells'];
  edits?: TextChange[][];
  /** Why it was saved: the crash or broken invariant seen. */
  failure?: string;
}

function safeName(name: string): string {
  return name.replace(/[^\w.@#-]+/g, '_').slice(0, 120);
}

/** Writes the input to out/fuzz-failures/ (not under test/: promoting it is a deliberate step). */
export function saveFailure(input: FuzzInput, outcome: Pick<Outcome, 'crash' | 'invalid'>): string {
  fs.mkdirSync(FAILURES, { recursive: true });
  const base = path.join(FAILURES, safeName(input.name));
  const failure = outcome.crash ?? outcome.invalid;
  if (input.text !== undefined && !input.edits) {
    const file = `${base}${path.extname(input.path) || '.py'}`;
    fs.writeFileSync(file, input.text);
    fs.writeFileSync(`${base}.why.txt`, `${failure}\n`);
    return file;
  }
  const fixture: JsonFixture = {
    path: input.path,
    text: input.text,
    cells: input.cells,
    edits: input.edits,
    failure,
  };
  const file = `${base}.input.json`;
  fs.writeFileSync(file, JSON.stringify(fixture, null, 1));
  return file;
}

/** Every regression fixture as an input: .py / .ipynb files as they are, .input.json files as saved above. */
export function regressionInputs(): FuzzInput[] {
  if (!fs.existsSync(REGRESSIONS)) {
    return [];
  }
  return fs
    .readdirSync(REGRESSIONS)
    .sort()
    .flatMap((name): FuzzInput[] => {
      const file = path.join(REGRESSIONS, name);
      const seed = 1;
      if (name.endsWith('.input.json')) {
        const f = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonFixture;
        const bytes =
          Buffer.byteLength(f.text ?? '') +
          (f.cells ?? []).reduce((n, c) => n + Buffer.byteLength(String(c?.source ?? '')), 0);
        return [
          {
            name: `regression:${name}`,
            path: f.path,
            text: f.text,
            cells: f.cells,
            edits: f.edits,
            bytes,
            seed,
          },
        ];
      }
      if (/\.(py|ipynb)$/.test(name)) {
        // Raw bytes decoded as the server decodes them: some fixtures hold invalid UTF-8 on purpose.
        const buf = fs.readFileSync(file);
        return [
          { name: `regression:${name}`, path: file, text: buf.toString('utf8'), bytes: buf.length, seed },
        ];
      }
      return [];
    });
}
