// The extremes fuzz family: deep nesting, megabyte lines and odd files (empty, NULs, BOMs, lone surrogates, bad bytes).
import type { Budget } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';
import { input, utf8Bytes } from './common';

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

export function* extremes(budget: Budget): Generator<FuzzInput> {
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
