// Tests of what the CLI reads: the folder walk (skipped folders, virtualenvs, links), the .gitignore matcher and the TOML reader.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { matchRules, parseGitignore } from '../../server/src/cli/gitignore';
import { parseToml, TomlError } from '../../server/src/catalog/toml';
import { findFiles } from '../../server/src/cli/walk';
import { makeTree, removeTree } from './helpers';

describe('.gitignore matcher', () => {
  const cases: [pattern: string, rel: string, isDir: boolean, ignored: boolean | undefined][] = [
    ['*.pyc', 'a/b/x.pyc', false, true],
    ['*.pyc', 'x.py', false, undefined],
    ['build/', 'build', true, true],
    ['build/', 'build', false, undefined],
    ['build/', 'src/build', true, true],
    ['/build', 'src/build', true, undefined],
    ['/build', 'build', false, true],
    ['doc/frotz', 'doc/frotz', true, true],
    ['doc/frotz', 'a/doc/frotz', true, undefined],
    ['foo/*', 'foo/bar', false, true],
    ['foo/*', 'foo/bar/baz', false, undefined],
    ['**/logs', 'a/b/logs', true, true],
    ['**/logs', 'logs', true, true],
    ['logs/**', 'logs/a/b.py', false, true],
    ['logs/**', 'logs', true, undefined],
    ['a/**/b', 'a/b', true, true],
    ['a/**/b', 'a/x/y/b', true, true],
    ['a/**/b', 'ab', true, undefined],
    ['data?.py', 'data1.py', false, true],
    ['data?.py', 'data/.py', false, undefined],
    ['gen[0-9].py', 'gen7.py', false, true],
    ['gen[!0-9].py', 'gen7.py', false, undefined],
    ['gen[!0-9].py', 'genx.py', false, true],
    ['\\#notes.py', '#notes.py', false, true],
    ['# a comment', '# a comment', false, undefined],
    ['trailing.py   ', 'trailing.py', false, true],
    ['space\\ ', 'space ', false, true],
    ['a.b', 'axb', false, undefined],
  ];
  for (const [pattern, rel, isDir, ignored] of cases) {
    it(`${JSON.stringify(pattern)} on ${rel}${isDir ? '/' : ''} → ${ignored}`, () => {
      assert.equal(matchRules(parseGitignore(pattern), rel, isDir), ignored);
    });
  }

  it('lets the last matching rule win, so `!` re-includes', () => {
    const rules = parseGitignore('*.gen.py\n!keep.gen.py\n');
    assert.equal(matchRules(rules, 'x.gen.py', false), true);
    assert.equal(matchRules(rules, 'sub/keep.gen.py', false), false);
  });
});

describe('folder walk', () => {
  const root = makeTree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/info/exclude': 'excluded_by_info.py\n',
    '.gitignore': 'generated/\n*.gen.py\n!keep.gen.py\n/top_only.py\n',
    'agent.py': '',
    'notebook.ipynb': '{}',
    'notes.txt': '',
    'top_only.py': '',
    'excluded_by_info.py': '',
    'x.gen.py': '',
    'keep.gen.py': '',
    'generated/agent.py': '',
    'src/top_only.py': '',
    'src/pkg/mod.py': '',
    'src/pkg/.gitignore': 'local_*.py\n',
    'src/pkg/local_tmp.py': '',
    'src/pkg/__pycache__/mod.py': '',
    'node_modules/lib/x.py': '',
    '.venv/lib/site.py': '',
    'venv/lib/site.py': '',
    'myenv/pyvenv.cfg': 'home = /usr/bin\n',
    'myenv/lib/site.py': '',
    'conda/lib/python3.11/site-packages/pkg/x.py': '',
    'links/real/inner.py': '',
    'links/to_dir': { link: 'real' },
    'links/to_file.py': { link: 'real/inner.py' },
    'links/dangling.py': { link: 'nowhere.py' },
    'links/ignored_dangling.gen.py': { link: 'nowhere.py' },
  });
  after(() => removeTree(root));
  const rel = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('finds .py and .ipynb files, skipping VCS, dependency, virtualenv, cache and ignored folders', () => {
    const r = findFiles(['.'], root);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(rel(r.files).sort(), [
      'agent.py',
      'keep.gen.py',
      'links/dangling.py',
      'links/real/inner.py',
      'links/to_file.py',
      'notebook.ipynb',
      'src/pkg/mod.py',
      'src/top_only.py',
    ]);
  });

  it('applies the .gitignore files above a walked subfolder, up to the repository root', () => {
    fs.writeFileSync(path.join(root, 'src', 'pkg', 'y.gen.py'), '');
    try {
      assert.deepEqual(rel(findFiles(['src'], root).files), ['src/pkg/mod.py', 'src/top_only.py']);
      assert.deepEqual(rel(findFiles([path.join(root, 'src', 'pkg')], '/').files), ['src/pkg/mod.py']);
    } finally {
      fs.unlinkSync(path.join(root, 'src', 'pkg', 'y.gen.py'));
    }
  });

  it('always takes files and folders named on the command line, and reports missing ones', () => {
    const r = findFiles(
      ['generated/agent.py', 'notes.txt', 'myenv', 'missing', 'agent.py', './agent.py'],
      root,
    );
    assert.deepEqual(rel(r.files), ['generated/agent.py', 'notes.txt', 'myenv/lib/site.py', 'agent.py']);
    assert.deepEqual(r.errors, [{ path: 'missing', message: 'no such file or directory' }]);
  });
});

describe('TOML reader', () => {
  it('reads the shapes a [tool.obo] section uses', () => {
    const doc = parseToml(
      [
        '# pyproject',
        '[project]',
        'name = "agent" # trailing comment',
        'dependencies = [',
        '  "mlflow>=3",  # pinned',
        "  'databricks-sdk',",
        ']',
        '[tool.obo]',
        'scopes = ["a", "b"]',
        'enabled = true',
        'limit = 1_000',
        '[[tool.obo.consumers]]',
        'callees = ["acme.Tool"]',
        'clientParam = { keyword = "client", position = 0 }',
        'needs.required = ["dashboards.genie"]',
        '[[tool.obo.consumers]]',
        'callees = ["acme.Other"]',
        'doc = """multi',
        'line"""',
        'path = "C:\\\\x\\u00e9"',
      ].join('\n'),
    );
    assert.deepEqual(doc.tool, {
      obo: {
        scopes: ['a', 'b'],
        enabled: true,
        limit: 1000,
        consumers: [
          {
            callees: ['acme.Tool'],
            clientParam: { keyword: 'client', position: 0 },
            needs: { required: ['dashboards.genie'] },
          },
          { callees: ['acme.Other'], doc: 'multi\nline', path: 'C:\\xé' },
        ],
      },
    });
    assert.deepEqual((doc.project as Record<string, unknown>).dependencies, ['mlflow>=3', 'databricks-sdk']);
  });

  it('reports errors with their line', () => {
    for (const [text, line] of [
      ['a = 1\nb = \n', 2],
      ['a = "open\n', 1],
      ['a = 1\na = 2\n', 2],
      ['[t]\nx = [1, 2\ny = 3', 3],
      ['a = 1 b = 2', 1],
    ] as const) {
      assert.throws(
        () => parseToml(text),
        (e: unknown) => e instanceof TomlError && e.line === line,
        JSON.stringify(text),
      );
    }
  });
});
