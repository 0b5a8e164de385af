// Text mutators for fuzz inputs: truncation, bracket and token damage, re-indentation, line endings, NULs, bad UTF-8.
import type { Rng } from '../prng';

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

export const MUTATORS: Record<string, Mutator> = {
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
