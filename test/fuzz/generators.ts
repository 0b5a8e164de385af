// Deterministic fuzz input families: stdlib files, mutated fixtures, extremes, notebooks, Databricks sources, edit streams.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputCell } from '../../server/src/analyser/model';
import type { TextChange } from '../../server/src/analyser/project';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Budget, readCorpus, relative, SEED_FIXTURES, stdlibDir, stdlibFiles } from './corpus';
import { regressionInputs } from './failures';
import type { FuzzInput } from './harness';
import { hashSeed, Rng } from './prng';

export type Family =
  'regressions' | 'stdlib' | 'mutants' | 'truncations' | 'extremes' | 'notebooks' | 'databricks' | 'edits';
export const FAMILIES: Family[] = [
  'regressions',
  'stdlib',
  'mutants',
  'truncations',
  'extremes',
  'notebooks',
  'databricks',
  'edits',
];

/** How many inputs each family makes per budget; `long` is what `npm run fuzz` runs. */
const SIZES: Record<
  Budget,
  {
    stdlib: number;
    mutants: number;
    truncations: number;
    notebooks: number;
    databricks: number;
    edits: number;
    editBatches: number;
  }
> = {
  ci: { stdlib: 100, mutants: 10, truncations: 12, notebooks: 6, databricks: 25, edits: 6, editBatches: 8 },
  long: {
    stdlib: Infinity,
    mutants: 150,
    truncations: 120,
    notebooks: 60,
    databricks: 400,
    edits: 60,
    editBatches: 25,
  },
};

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function input(name: string, filePath: string, text: string, seed: number): FuzzInput {
  return { name, path: filePath, text, bytes: utf8Bytes(text), seed };
}

// ------------------------------------------------------------------------------------------------ mutations

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '"""',
  "'''",
  ':',
  '\n',
  '    ',
  '\t',
  '\\',
  'f"{',
  "f'{x!r:",
  '#',
  ',',
  '=',
  '@',
  '*',
  '**',
  'lambda',
  'def ',
  'class ',
  'async ',
  'await ',
  'yield ',
  'return',
  'import ',
  'from . import ',
  ':=',
  '->',
  'match x:\n    case ',
  'WorkspaceClient(',
  'ModelServingUserCredentials()',
  'api_scopes=[',
  'mlflow.pyfunc.log_model(',
  'def predict(self, ',
  '\u00a0',
  '\u2028',
  '\u000c',
  '\u000b',
  '\u200b',
  '😀',
  '\ud800',
  '\r',
  '\r\n',
  '\0',
  '%pip install x',
  '%%writefile a.py\n',
  '!ls',
  '# MAGIC ',
  '# COMMAND ----------',
];
const BRACKETS_QUOTES = '()[]{}"\':';

type Mutator = (text: string, rng: Rng, others: string[]) => string;

const MUTATORS: Record<string, Mutator> = {
  truncate: (t, rng) => t.slice(0, rng.int(t.length + 1)),
  deleteBracket: (t, rng) => {
    for (let tries = 0; tries < 20; tries++) {
      const i = rng.int(t.length);
      if (BRACKETS_QUOTES.includes(t[i])) {
        return t.slice(0, i) + t.slice(i + 1);
      }
    }
    return t;
  },
  insertToken: (t, rng) => {
    const i = rng.int(t.length + 1);
    return t.slice(0, i) + rng.pick(TOKENS) + t.slice(i);
  },
  deleteSpan: (t, rng) => {
    const i = rng.int(t.length + 1);
    return t.slice(0, i) + t.slice(i + rng.range(1, 200));
  },
  indent: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(lines.length);
    const n = rng.range(1, Math.min(40, lines.length - i));
    for (let j = i; j < i + n; j++) {
      lines[j] = rng.chance(0.5)
        ? rng.pick([' ', '    ', '\t', '  \t', '        ']) + lines[j]
        : lines[j].replace(/^[ \t]{1,4}/, '');
    }
    return lines.join('\n');
  },
  shuffleLines: (t, rng) => {
    const lines = t.split('\n');
    const a = rng.int(lines.length);
    const b = rng.int(lines.length);
    if (rng.chance(0.5)) {
      [lines[a], lines[b]] = [lines[b], lines[a]];
    } else {
      lines.splice(a, 0, ...lines.slice(b, b + rng.range(1, 10)));
    }
    return lines.join('\n');
  },
  lineEndings: (t, rng) => t.replace(/\n/g, () => rng.pick(['\n', '\n', '\r\n', '\r'])),
  nul: (t, rng) => {
    let s = t;
    for (let k = rng.range(1, 5); k > 0; k--) {
      const i = rng.int(s.length + 1);
      s = s.slice(0, i) + '\0'.repeat(rng.range(1, 3)) + s.slice(i);
    }
    return s;
  },
  invalidUtf8: (t, rng) => {
    // Bytes the server reads from disk and decodes with Buffer.toString('utf8'): replacement characters appear.
    const buf = Buffer.from(t, 'utf8');
    const bad = [
      [0xff],
      [0xc3],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xc0, 0xaf],
      [0x80],
    ];
    const parts: Buffer[] = [];
    let at = 0;
    for (let k = rng.range(1, 6); k > 0; k--) {
      const i = rng.range(at, buf.length);
      parts.push(buf.subarray(at, i), Buffer.from(rng.pick(bad)));
      at = i;
    }
    parts.push(buf.subarray(at));
    return Buffer.concat(parts).toString('utf8');
  },
  splice: (t, rng, others) => {
    const other = rng.pick(others).split('\n');
    const from = rng.int(other.length);
    const lines = t.split('\n');
    lines.splice(rng.int(lines.length + 1), 0, ...other.slice(from, from + rng.range(1, 30)));
    return lines.join('\n');
  },
  nest: (t, rng) => {
    const i = rng.int(t.length + 1);
    const d = rng.range(10, 300);
    return (
      t.slice(0, i) +
      '('.repeat(d) +
      t.slice(i, i + 20) +
      ')'.repeat(rng.chance(0.5) ? d : rng.int(d)) +
      t.slice(i + 20)
    );
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

/** 1–5 random mutations in a row; returns the mutated text and the operator names, for the input's name. */
export function mutate(text: string, rng: Rng, others: string[]): { text: string; ops: string[] } {
  let t = text;
  const ops: string[] = [];
  for (let k = rng.range(1, 5); k > 0; k--) {
    const op = rng.pick(MUTATOR_NAMES);
    t = MUTATORS[op](t, rng, others);
    ops.push(op);
  }
  return { text: t, ops };
}

// ------------------------------------------------------------------------------------------------ families

/** A fixture notebook with a `cells` list, or undefined for the deliberately broken ones. */
function parseNotebook(text: string): { cells: { cell_type?: string; source?: unknown }[] } | undefined {
  try {
    const nb = JSON.parse(text) as { cells?: unknown };
    return Array.isArray(nb.cells)
      ? (nb as { cells: { cell_type?: string; source?: unknown }[] })
      : undefined;
  } catch {
    return undefined;
  }
}

function* stdlib(budget: Budget, seed: number): Generator<FuzzInput> {
  const dir = stdlibDir();
  if (!dir) {
    return;
  }
  const all = stdlibFiles(dir);
  const files = new Rng(seed).sample(all, SIZES[budget].stdlib);
  for (const file of files) {
    const buf = fs.readFileSync(file);
    // Decoded as the server decodes files it reads from disk.
    const text = buf.toString('utf8');
    yield {
      name: `stdlib:${path.relative(dir, file)}`,
      path: file,
      text,
      bytes: buf.length,
      seed: hashSeed(file),
    };
  }
}

/**
 * The corpus a family works on: every fixture for the long run; for ci a fixed-size sample, so the slice keeps
 * its running time as other engineers add fixtures (the seeds' agents are always in).
 */
function corpusFor(budget: Budget, seed: number, family: string): { file: string; text: string }[] {
  const all = readCorpus();
  if (budget === 'long') {
    return all;
  }
  const isSeed = (c: { file: string }) =>
    c.file.includes(`${path.sep}fuzz${path.sep}seeds${path.sep}`) || SEED_FIXTURES.includes(c.file);
  const seeds = all.filter(isSeed);
  const rest = all.filter((c) => !isSeed(c));
  return [...seeds, ...new Rng(hashSeed(`${seed}:${family}`)).sample(rest, CI_CORPUS_FILES - seeds.length)];
}

const CI_CORPUS_FILES = 20;

function* mutants(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = corpusFor(budget, seed, 'mutants');
  const others = corpus.map((c) => c.text);
  for (const { file, text } of corpus) {
    for (let k = 0; k < SIZES[budget].mutants; k++) {
      const s = hashSeed(`${seed}:${file}:${k}`);
      const rng = new Rng(s);
      const nb = file.endsWith('.ipynb') ? parseNotebook(text) : undefined;
      if (nb && rng.chance(0.6)) {
        // Keep the JSON valid and break the Python inside it, so the cell path is what gets fuzzed.
        const code = nb.cells.filter((c) => c.cell_type === 'code');
        const ops: string[] = [];
        for (const cell of rng.sample(code, rng.range(1, 3))) {
          const src = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
          const m = mutate(src, rng, others);
          cell.source = rng.chance(0.5) ? m.text : m.text.split(/(?<=\n)/);
          ops.push(...m.ops);
        }
        yield input(
          `mutants:${relative(file)}#${k}[cells:${ops.join(',')}]`,
          file,
          JSON.stringify(nb, null, 1),
          s,
        );
        continue;
      }
      const m = mutate(text, rng, others);
      yield input(`mutants:${relative(file)}#${k}[${m.ops.join(',')}]`, file, m.text, s);
    }
  }
}

function* truncations(budget: Budget, seed: number): Generator<FuzzInput> {
  for (const { file, text } of corpusFor(budget, seed, 'truncations')) {
    // A file shorter than the budget has fewer distinct cut points than asked for.
    const n = Math.min(SIZES[budget].truncations, text.length + 1);
    const rng = new Rng(hashSeed(`${seed}:${file}`));
    // Evenly spread cut points plus random ones: every kind of half-typed construct shows up somewhere.
    const points = new Set<number>();
    for (let k = 0; k < n / 2; k++) {
      points.add(Math.floor((text.length * (k + 1)) / (n / 2 + 1)));
    }
    while (points.size < n) {
      points.add(rng.int(text.length + 1));
    }
    for (const p of [...points].sort((a, b) => a - b)) {
      yield input(`truncations:${relative(file)}@${p}`, file, text.slice(0, p), hashSeed(`${file}@${p}`));
    }
  }
}

/** Deeply nested expressions and statements, by depth. */
export const NESTINGS: Record<string, (d: number) => string> = {
  parens: (d) => `x = ${'('.repeat(d)}1${')'.repeat(d)}\n`,
  calls: (d) => `x = ${'f('.repeat(d)}1${')'.repeat(d)}\n`,
  lists: (d) => `x = ${'['.repeat(d)}${']'.repeat(d)}\n`,
  dicts: (d) => `x = ${"{'a': ".repeat(d)}1${'}'.repeat(d)}\n`,
  subscripts: (d) => `x = a${'[0]'.repeat(d)}\n`,
  attributes: (d) => `x = a${'.b'.repeat(d)}\n`,
  methodChain: (d) => `x = WorkspaceClient()${'.m()'.repeat(d)}\n`,
  binops: (d) => `x = 1${' + 1'.repeat(d)}\n`,
  stringConcat: (d) => `x = ${Array.from({ length: d }, () => '"a"').join(' + ')}\n`,
  unaryNot: (d) => `x = ${'not '.repeat(d)}y\n`,
  lambdas: (d) => `f = ${'lambda: '.repeat(d)}1\n`,
  ternaries: (d) => `x = ${'a if b else '.repeat(d)}c\n`,
  unclosed: (d) => `x = ${'('.repeat(d)}\n`,
  fstrings: (d) => `x = ${'f"{'.repeat(Math.min(d, 200))}1${'}"'.repeat(Math.min(d, 200))}\n`,
  ifs: (d) =>
    Array.from({ length: Math.min(d, 100) }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') +
    `${' '.repeat(Math.min(d, 100))}pass\n`,
  defs: (d) =>
    Array.from({ length: Math.min(d, 100) }, (_, i) => `${' '.repeat(i)}def f${i}():\n`).join('') +
    `${' '.repeat(Math.min(d, 100))}return WorkspaceClient()\n`,
  decorators: (d) => `${'@d\n'.repeat(d)}def f():\n    pass\n`,
  comprehension: (d) => `x = ${'[y for y in '.repeat(d)}z${']'.repeat(d)}\n`,
  assignments: (d) => `${Array.from({ length: d }, (_, i) => `a${i + 1} = a${i}`).join('\n')}\n`,
};

function* extremes(budget: Budget): Generator<FuzzInput> {
  // ci: a depth every parser handles and one past the ~1,200 where the analyser's recursion gives out.
  const depths = budget === 'ci' ? [500, 1500] : [50, 100, 200, 500, 1000, 1500, 2000, 3000, 5000, 10000];
  for (const [kind, make] of Object.entries(NESTINGS)) {
    for (const d of depths) {
      yield input(
        `extremes:nest-${kind}-${d}`,
        `/fuzz/nest_${kind}_${d}.py`,
        make(d),
        hashSeed(`${kind}${d}`),
      );
    }
  }
  // 1 MB lines; in ci the token-dense kinds (parse + tree conversion ~5 s/MB) are cut to 128 KB.
  const mb = 1 << 20;
  const dense = budget === 'ci' ? mb / 8 : mb;
  const longLines: Record<string, string> = {
    string: `x = "${'a'.repeat(mb)}"\n`,
    identifier: `${'a'.repeat(mb)} = 1\n`,
    comment: `# ${'c'.repeat(mb)}\nx = 1\n`,
    statements: 'a = 1; '.repeat(dense / 7) + '\n',
    scopes: `api_scopes = [${'"serving.serving-endpoints", '.repeat(dense / 29)}]\n`,
    list: `x = [${'1, '.repeat(dense / 3)}]\n`,
  };

  for (const [kind, text] of Object.entries(longLines)) {
    yield input(`extremes:long-line-${kind}`, `/fuzz/long_line_${kind}.py`, text, hashSeed(kind));
  }
  const odd: Record<string, string | Buffer> = {
    empty: '',
    newlines: '\n'.repeat(10000),
    whitespace: ' \t\f\v'.repeat(5000),
    bom: '\uFEFF',
    bomNul: '\uFEFF\0\0\0',
    nuls: '\0'.repeat(10000),
    nulInString: 'x = "a\0b"\nclient = WorkspaceClient(\0)\n',
    allBytes: Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256)),
    randomBytes: Buffer.from(Array.from({ length: 65536 }, (_, i) => new Rng(7 + i).int(256))),
    loneSurrogates: 'x = "\ud800\udc00\ud800"\n\udfff = 1\n',
    crOnly:
      'import mlflow\rfrom databricks.sdk import WorkspaceClient\rclass A:\r    def predict(self):\r        return WorkspaceClient()\r',
    mixedEndings: 'import mlflow\r\nclass A:\r    def __init__(self):\n        self.c = 1\r\n\r\r\n',
    tabsAndSpaces: 'class A:\n\tdef f(self):\n        return 1\n\t  \tx = 2\n',
    formFeed: 'class A:\n\f    def f(self):\n\f\f        return 1\n',
    lineSeparators: 'x = 1\u2028y = 2\u2029z = 3\u0085w = 4\n',
    pyTooDeep: Array.from({ length: 150 }, (_, i) => `${'\t'.repeat(i)}if x:`).join('\n'),
  };
  for (const [kind, raw] of Object.entries(odd)) {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    const bytes = typeof raw === 'string' ? utf8Bytes(raw) : raw.length;
    yield { name: `extremes:${kind}`, path: `/fuzz/odd_${kind}.py`, text, bytes, seed: hashSeed(kind) };
    yield {
      name: `extremes:${kind}.ipynb`,
      path: `/fuzz/odd_${kind}.ipynb`,
      text,
      bytes,
      seed: hashSeed(kind),
    };
  }
}

// ------------------------------------------------------------------------------------------------ notebooks

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function* notebooks(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = readCorpus();
  const ipynbs = corpus.filter((c) => c.file.endsWith('.ipynb') && parseNotebook(c.text));
  const pyTexts = corpus.filter((c) => c.file.endsWith('.py')).map((c) => c.text);
  const base = ipynbs.map((c) => c.text);
  const nbPath = (k: string) => `/fuzz/nb_${k}.ipynb`;
  const fixed: Record<string, string> = {
    emptyObject: '{}',
    array: '[]',
    null: 'null',
    number: '1e999',
    string: '"cells"',
    cellsObject: '{"cells": {}}',
    cellsString: '{"cells": "print(1)"}',
    cellsNull: '{"cells": null}',
    cellEntries: '{"cells": [null, 1, "x", [], true, {}]}',
    sourceKinds:
      '{"cells": [{"cell_type":"code","source":42},{"cell_type":"code","source":null},{"cell_type":"code","source":{"a":1}},' +
      '{"cell_type":"code","source":["x = (", 5, null]},{"cell_type":"code","source":[]},{"cell_type":"code"},' +
      '{"cell_type":"code","source":"import mlflow\\nmlflow.pyfunc.log_model(python_model=\\"agent.py\\")"}]}',
    cellTypes:
      '{"cells": [{"cell_type":"CODE","source":"x=1"},{"cell_type":7,"source":"x=("},{"source":"y=("},{"cell_type":"raw","source":"(("}]}',
    metadataKinds:
      '{"metadata":{"language_info":5,"kernelspec":{"language":["python"]}},"cells":[{"cell_type":"code","metadata":{"vscode":{"languageId":3}},"source":"x=("}]}',
    nbformat3:
      '{"nbformat":3,"worksheets":[{"cells":[{"cell_type":"code","input":["from databricks.sdk import WorkspaceClient\\n","w = WorkspaceClient("]}]}]}',
    worksheetsBad: '{"worksheets":[null]}',
    worksheetsEmpty: '{"worksheets":[]}',
    protoKey:
      '{"__proto__":{"cells":[{"cell_type":"code","source":"x=1"}]},"constructor":{"prototype":{"cells":1}}}',
    duplicateKeys: '{"cells":[],"cells":[{"cell_type":"code","source":"x = WorkspaceClient("}]}',
    deepJson: `{"metadata":${'['.repeat(100_000)}${']'.repeat(100_000)},"cells":[]}`,
    writefileOdd:
      '{"cells":[{"cell_type":"code","source":"%%writefile\\nx=1"},{"cell_type":"code","source":"%%writefile ../../../etc/passwd\\nx=("},' +
      '{"cell_type":"code","source":"%%writefile -a /abs/agent.py\\nclass A:\\n  def predict(self): pass"},{"cell_type":"code","source":"%%writefile \\"\\"\\n"}]}',
    manyCells: JSON.stringify({
      cells: Array.from({ length: budget === 'ci' ? 2000 : 20_000 }, (_, i) => ({
        cell_type: 'code',
        source: `x${i} = ${i}`,
      })),
    }),
  };
  for (const [k, text] of Object.entries(fixed)) {
    yield input(`notebooks:${k}`, nbPath(k), text, hashSeed(k));
  }
  // Huge outputs: notebooks carry images and logs; they must be skipped cheaply, never parsed as code.
  const hugeMb = budget === 'ci' ? 8 : 40;
  const huge = JSON.parse(base[0]) as { cells: { cell_type: string; outputs?: Json[] }[] };
  const code = huge.cells.find((c) => c.cell_type === 'code');
  if (code) {
    code.outputs = [
      {
        output_type: 'display_data',
        data: { 'image/png': 'iVBORw0KGgo'.repeat((hugeMb * (1 << 20)) / 2 / 11) },
      },
      {
        output_type: 'stream',
        name: 'stdout',
        text: Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`),
      },
    ];
  }
  yield input(
    `notebooks:hugeOutputs-${hugeMb}MB`,
    nbPath('huge_outputs'),
    JSON.stringify(huge),
    hashSeed('huge'),
  );

  for (let k = 0; k < SIZES[budget].notebooks; k++) {
    for (const [i, text] of base.entries()) {
      const s = hashSeed(`${seed}:nb:${i}:${k}`);
      const rng = new Rng(s);
      // Structural damage to a real notebook: every field the reader looks at gets a wrong type somewhere.
      const nb = JSON.parse(text) as { [k: string]: Json };
      const cells = nb.cells as { [k: string]: Json }[];
      const ops: string[] = [];
      for (let n = rng.range(1, 4); n > 0; n--) {
        // Earlier operations may have put junk (null, numbers) in the list: only real cells get edited.
        const objects = cells.filter((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
        const c = objects.length ? rng.pick(objects) : undefined;
        const op = rng.int(8);
        ops.push(String(op));
        if (op === 0 && c) {
          c.source = rng.pick<Json>([
            null,
            5,
            true,
            {},
            [1, 2],
            ['x = (', null],
            'x = ('.repeat(rng.range(1, 50)),
          ]);
        } else if (op === 1 && c) {
          c.cell_type = rng.pick<Json>([null, 'markdown', 'code', 'raw', 3, ['code']]);
        } else if (op === 2) {
          cells.splice(rng.int(cells.length + 1), 0, rng.pick<Json>([null, 1, 'cell', []]) as never);
        } else if (op === 3 && c) {
          c.metadata = rng.pick<Json>([
            null,
            1,
            { vscode: { languageId: rng.pick(['sql', 'python', 'PYTHON', 'r', '']) } },
          ]);
        } else if (op === 4) {
          nb.metadata = rng.pick<Json>([
            null,
            [],
            { language_info: { name: rng.pick(['python', 'scala', 'sql', '']) } },
          ]);
        } else if (op === 5 && c) {
          const m = mutate(
            typeof c.source === 'string' ? c.source : Array.isArray(c.source) ? c.source.join('') : '',
            rng,
            pyTexts,
          );
          c.source = m.text;
        } else if (op === 6) {
          delete nb.cells;
          nb[rng.pick(['Cells', 'cell', 'worksheets'])] = cells as Json;
        } else if (op === 7 && c) {
          c.source = `%%writefile ${rng.pick(['agent.py', '', '-a x.py', '../up.py', '/abs.py', 'a b.py', 'x.ipynb'])}\n${typeof c.source === 'string' ? c.source : ''}`;
        }
      }
      let out = JSON.stringify(nb);
      if (rng.chance(0.3)) {
        // Malformed JSON: cut or damaged in the raw text.
        out = rng.chance(0.5) ? out.slice(0, rng.int(out.length)) : MUTATORS.insertToken(out, rng, []);
        ops.push('raw');
      }
      yield input(
        `notebooks:${path.basename(ipynbs[i].file)}#${k}[${ops.join(',')}]`,
        ipynbs[i].file,
        out,
        s,
      );
    }
  }
  // The editor's notebook sync hands cells directly, with whatever a buggy client might send.
  for (let k = 0; k < SIZES[budget].notebooks; k++) {
    const s = hashSeed(`${seed}:cells:${k}`);
    const rng = new Rng(s);
    const cells: InputCell[] = [];
    for (let n = rng.range(0, 30); n > 0; n--) {
      const src = rng.chance(0.7)
        ? mutate(rng.pick(pyTexts).slice(0, 3000), rng, pyTexts).text
        : rng.pick(['', '%%writefile\n', '%%writefile agent.py\nx=(', '%sql select 1', '!pip install x']);
      const cell = {
        kind: rng.pick(['code', 'code', 'markup', 'other']),
        source: rng.chance(0.9) ? src : rng.pick<unknown>([null, 3, undefined, ['a']]),
        language: rng.pick([undefined, 'python', 'sql', 'PYTHON', '']),
      } as InputCell;
      cells.push(rng.chance(0.05) ? (null as unknown as InputCell) : cell);
    }
    const bytes = cells.reduce((n, c) => n + (typeof c?.source === 'string' ? utf8Bytes(c.source) : 0), 0);
    yield { name: `notebooks:cells#${k}`, path: `/fuzz/cells_${k}.ipynb`, cells, bytes, seed: s };
  }
}

// ------------------------------------------------------------------------------------------------ Databricks sources

const DBX_HEADER = '# Databricks notebook source';
const DBX_SEP = '# COMMAND ----------';

function* databricks(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = readCorpus();
  const sources = corpus.filter((c) => c.text.startsWith(DBX_HEADER)).map((c) => c.text);
  const pyTexts = corpus.filter((c) => c.file.endsWith('.py')).map((c) => c.text);
  const cellKinds = [
    (rng: Rng) => rng.pick(pyTexts).split('\n').slice(0, rng.range(1, 30)).join('\n'),
    () => '# MAGIC %md\n# MAGIC # Title\n# MAGIC text',
    (rng: Rng) =>
      `# MAGIC %python\n${rng
        .pick(pyTexts)
        .split('\n')
        .slice(0, 20)
        .map((l) => `# MAGIC ${l}`)
        .join('\n')}`,
    (rng: Rng) =>
      `# MAGIC %%writefile ${rng.pick(['agent.py', '', '../x.py'])}\n${rng
        .pick(pyTexts)
        .split('\n')
        .slice(0, 25)
        .map((l) => `# MAGIC ${l}`)
        .join('\n')}`,
    () => '# MAGIC %pip install mlflow\n# MAGIC %restart_python',
    () => '# MAGIC %sql\n# MAGIC SELECT 1',
    () => '# MAGIC',
    () => '# MAGICx = 1\n#MAGIC y = 2\n# MAGIC\t%python\n# MAGIC  %python',
    () => '# DBTITLE 1,Title\n# DBTITLE',
    () => '# MAGIC %python\nx = 1\n# MAGIC y = (',
    () => '# MAGIC %python\n# MAGIC def f():\n# MAGIC     return WorkspaceClient(\n',
    () => '',
  ];
  for (let k = 0; k < SIZES[budget].databricks; k++) {
    const s = hashSeed(`${seed}:dbx:${k}`);
    const rng = new Rng(s);
    let text: string;
    let how: string;
    if (sources.length && rng.chance(0.5)) {
      how = 'fixture';
      const lines = rng.pick(sources).split('\n');
      // Break the MAGIC structure of real notebooks: prefixes dropped, separators lost or damaged.
      for (let n = rng.range(1, 8); n > 0; n--) {
        const i = rng.range(1, lines.length - 1);
        const op = rng.int(6);
        if (op === 0) {
          lines[i] = lines[i].replace(/^# MAGIC ?/, '');
        } else if (op === 1) {
          lines[i] = lines[i].replace(
            /^# COMMAND -+/,
            rng.pick(['', '# COMMAND --', '# COMMAND ---------- junk', '#COMMAND ----------']),
          );
        } else if (op === 2) {
          lines[i] = `# MAGIC ${lines[i]}`;
        } else if (op === 3) {
          lines.splice(
            i,
            0,
            rng.pick([DBX_SEP, '# MAGIC %python', '# MAGIC %%writefile', '# MAGIC %md', '# DBTITLE 1,x']),
          );
        } else if (op === 4) {
          lines.splice(i, rng.range(1, 10));
        } else {
          lines[i] = MUTATORS.insertToken(lines[i], rng, []);
        }
      }
      text = lines.join('\n');
    } else {
      how = 'synthetic';
      const cells = Array.from({ length: rng.range(0, 12) }, () => rng.pick(cellKinds)(rng));
      text = [DBX_HEADER, ...cells].join(`\n\n${DBX_SEP}\n\n`);
    }
    if (rng.chance(0.2)) {
      text = MUTATORS[rng.pick(['lineEndings', 'nul', 'invalidUtf8', 'truncate'])](text, rng, pyTexts);
      how += '+raw';
    }
    if (rng.chance(0.1)) {
      text = rng.pick([
        `\uFEFF${text}`,
        text.replace(DBX_HEADER, `${DBX_HEADER}   `),
        text.replace(DBX_HEADER, `${DBX_HEADER}\r`),
      ]);
      how += '+header';
    }
    yield input(`databricks:${how}#${k}`, `/fuzz/dbx_${k}.py`, text, s);
  }
  for (const text of [
    DBX_HEADER,
    `${DBX_HEADER}\n`,
    `${DBX_HEADER}\0\n${DBX_SEP}`,
    `${DBX_HEADER}\n${DBX_SEP}\n`.repeat(5000),
  ]) {
    yield input(`databricks:edge#${hashSeed(text)}`, '/fuzz/dbx_edge.py', text, hashSeed(text));
  }
}

// ------------------------------------------------------------------------------------------------ edit streams

const EDIT_TEXTS = [
  '',
  '(',
  ')',
  '"',
  "'''",
  ':',
  '\n',
  '\r\n',
  '\r',
  '    ',
  '\t',
  'x',
  'WorkspaceClient()',
  '😀',
  '\ud83d',
  '\0',
  '\n\n\n',
  'def f(:\n',
  '# c\n',
];

/**
 * A random LSP change against `doc`. Raw streams include what a buggy client may send (out-of-range, negative and
 * reversed ranges, a full-text change mid-batch); server-like streams hold what the server passes on after
 * clamping (valid positions, full-text changes alone).
 */
export function randomChange(doc: TextDocument, rng: Rng, pastes: string[], serverLike: boolean): TextChange {
  if (!serverLike && rng.chance(0.05)) {
    return { text: rng.chance(0.5) ? doc.getText().slice(0, rng.int(doc.getText().length)) : '' };
  }
  const lines = doc.lineCount;
  const pos = () => {
    const line = rng.chance(0.1) ? rng.range(lines, lines + 5) : rng.chance(0.03) ? -1 : rng.int(lines);
    const len =
      line >= 0 && line < lines
        ? doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).length
        : 0;
    const p = { line, character: rng.chance(0.1) ? rng.range(len, len + 100) : rng.int(len + 1) };
    return serverLike ? doc.positionAt(doc.offsetAt(p)) : p;
  };
  const start = pos();
  let end = rng.chance(0.5) ? start : pos();
  if (rng.chance(0.3)) {
    end = { line: start.line, character: start.character + rng.int(20) };
    end = serverLike ? doc.positionAt(doc.offsetAt(end)) : end;
  }
  if (serverLike && (end.line < start.line || (end.line === start.line && end.character < start.character))) {
    [start.line, start.character, end.line, end.character] = [
      end.line,
      end.character,
      start.line,
      start.character,
    ];
  }
  const text = rng.chance(0.15) ? rng.pick(pastes).slice(0, rng.range(1, 400)) : rng.pick(EDIT_TEXTS);
  return { range: { start, end }, text };
}

function* edits(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = corpusFor(budget, seed, 'edits').filter((c) => c.file.endsWith('.py'));
  const pastes = corpus.map((c) => c.text);
  // Server-like streams are what VS Code sends: one EOL per document (it normalises on load) and every change
  // clamped; raw streams are what any client might send.
  const variants: { tag: string; eol: string; serverLike: boolean }[] = [
    { tag: 'lf,server-like', eol: '\n', serverLike: true },
    { tag: 'crlf,server-like', eol: '\r\n', serverLike: true },
    { tag: 'lf,raw', eol: '\n', serverLike: false },
    { tag: 'crlf,raw', eol: '\r\n', serverLike: false },
    { tag: 'cr,raw', eol: '\r', serverLike: false },
    { tag: 'mixed,raw', eol: '', serverLike: false },
  ];
  for (const { file, text } of corpus) {
    for (let k = 0; k < SIZES[budget].edits; k++) {
      const s = hashSeed(`${seed}:edits:${file}:${k}`);
      const rng = new Rng(s);
      const v = variants[k % variants.length];
      const withEol = (t: string) =>
        v.eol
          ? t.replace(/\r\n|\r|\n/g, v.eol)
          : t.replace(/\r\n|\r|\n/g, () => rng.pick(['\n', '\r\n', '\r']));
      const initial = withEol(text);
      let doc = TextDocument.create('file:///fuzz.py', 'python', 0, initial);
      const batches: TextChange[][] = [];
      for (let b = 0; b < SIZES[budget].editBatches; b++) {
        const batch: TextChange[] = [];
        for (let n = rng.range(1, 3); n > 0; n--) {
          let c = randomChange(doc, rng, pastes, v.serverLike);
          if (v.serverLike) {
            c = { ...c, text: withEol(c.text) };
          }
          batch.push(c);
          doc = TextDocument.update(doc, [c], doc.version + 1);
        }
        batches.push(batch);
      }
      yield {
        ...input(`edits:${relative(file)}#${k}[${v.tag}]`, `/fuzz/edit_${path.basename(file)}`, initial, s),
        edits: batches,
      };
    }
  }
}

export function* generate(family: Family, budget: Budget, seed: number): Generator<FuzzInput> {
  switch (family) {
    case 'regressions':
      yield* regressionInputs();
      break;
    case 'stdlib':
      yield* stdlib(budget, seed);
      break;
    case 'mutants':
      yield* mutants(budget, seed);
      break;
    case 'truncations':
      yield* truncations(budget, seed);
      break;
    case 'extremes':
      yield* extremes(budget);
      break;
    case 'notebooks':
      yield* notebooks(budget, seed);
      break;
    case 'databricks':
      yield* databricks(budget, seed);
      break;
    case 'edits':
      yield* edits(budget, seed);
      break;
  }
}

/** Rebuilds one input by name (for saving a failure as a regression fixture). */
export function find(family: Family, budget: Budget, seed: number, name: string): FuzzInput | undefined {
  for (const i of generate(family, budget, seed)) {
    if (i.name === name) {
      return i;
    }
  }
  return undefined;
}

/**
 * The 5 MB file: standard-library modules (deterministic sample) with the project's agent fixtures spliced in
 * every ~100 KB, so the interpreter has real agent code to chase all the way down.
 */
export function bigFile(targetBytes: number, seed: number): FuzzInput {
  const dir = stdlibDir();
  const agents = readCorpus()
    .filter(
      (c) =>
        c.file.endsWith('.py') && !c.text.startsWith(DBX_HEADER) && /WorkspaceClient|log_model/.test(c.text),
    )
    .map((c) => c.text);
  const stdlibTexts = dir
    ? new Rng(seed).sample(stdlibFiles(dir), 400).map((f) => fs.readFileSync(f, 'utf8'))
    : [];
  const parts: string[] = [];
  let size = 0;
  let sinceAgent = 0;
  for (let i = 0; size < targetBytes; i++) {
    const next =
      sinceAgent > 100_000 || !stdlibTexts.length
        ? agents[i % agents.length]
        : stdlibTexts[i % stdlibTexts.length];
    sinceAgent = next === agents[i % agents.length] ? 0 : sinceAgent + next.length;
    parts.push(next);
    size += next.length + 1;
  }
  const text = parts.join('\n').slice(0, targetBytes);
  return input(`big:${(targetBytes / (1 << 20)).toFixed(0)}MB`, '/fuzz/big_5mb.py', text, seed);
}
