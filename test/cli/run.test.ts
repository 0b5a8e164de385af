// In-process tests of the CLI flow with a stand-in analyser: output formats, sorting, exit codes, errors, config.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../server/src/cli/run';
import { BAD_AGENT, captureDeps, makeTree, removeTree } from './helpers';

const NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: 'markdown', source: ['# Agent\n'] },
    { cell_type: 'code', source: ['%%writefile agent.py\n', ...BAD_AGENT.split('\n').map((l) => l + '\n')] },
  ],
});

describe('obo-lint flow (stand-in analyser)', () => {
  const root = makeTree({
    'b/agent.py': BAD_AGENT,
    'a/agent.py': BAD_AGENT.replace('user_client = ', 'x = 1  # stub-warning\nuser_client = '),
    'a/plain.py': 'print("nothing to see")\n',
    'nb/notebook.ipynb': NOTEBOOK,
    'hint/h.py': 'from mlflow.pyfunc import ChatAgent  # stub-hint\n',
    'bad.json': '{"consumers": [{"id": "no callees"}]}',
    'pyproject.toml': '[project]\nname = "x"\n',
  });
  after(() => removeTree(root));

  const run = async (...args: string[]) => {
    const { deps, out } = captureDeps(root);
    const code = await runCli(args, deps);
    return { code, ...out };
  };

  it('prints Ruff-style lines sorted by file, line, column, then a summary; exits 1 on errors', async () => {
    const r = await run('a', 'b');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'a/agent.py:5:8: OBO202 unused scope second line',
        'a/agent.py:6:15: OBO101 user client built at init',
        'b/agent.py:5:15: OBO101 user client built at init',
        'Found 3 problems (2 errors, 1 warning).',
        '',
      ].join('\n'),
    );
  });

  it('reads files named directly, prefilters the rest and reports notebooks with their cell', async () => {
    const { deps, out } = captureDeps(root);
    const code = await runCli(['nb/notebook.ipynb', 'a'], deps);
    assert.equal(code, 1);
    // Cell 2 (1-based) is the %%writefile cell; line 6 of the cell is the construction.
    assert.match(out.stdout, /^nb\/notebook\.ipynb:cell 2:6:15: OBO101 user client built at init$/m);
    assert.equal(typeof out.options[0].readFile, 'function');
    assert.equal(out.options[0].readFile!(path.join(root, 'a', 'plain.py')), 'print("nothing to see")\n');
    assert.equal(out.options[0].readFile!(path.join(root, 'missing.py')), undefined);
    assert.equal(out.options[0].readFile!(path.join(root, 'a')), undefined, 'a folder reads as missing');
  });

  it('says all checks passed and exits 0 when nothing is found, and counts hints as notes', async () => {
    const clean = await run('a/plain.py');
    assert.deepEqual([clean.code, clean.stdout], [0, 'All checks passed.\n']);
    const hint = await run('hint');
    assert.equal(hint.code, 0);
    assert.match(hint.stdout, /^Found 1 problem \(0 errors, 0 warnings, 1 note\)\.$/m);
  });

  it('writes version-1 JSON with 1-based positions and a 0-based cell', async () => {
    const r = await run('--format', 'json', 'nb', 'b');
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as { version: number; findings: Record<string, unknown>[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.findings, [
      {
        file: 'b/agent.py',
        line: 5,
        column: 15,
        endLine: 5,
        endColumn: 81,
        code: 'OBO101',
        severity: 'error',
        message: 'user client built at init',
      },
      {
        file: 'nb/notebook.ipynb',
        line: 6,
        column: 15,
        endLine: 6,
        endColumn: 81,
        code: 'OBO101',
        severity: 'error',
        message: 'user client built at init',
        cell: 1,
      },
    ]);
  });

  it('writes SARIF 2.1.0 with the rule table, levels, relative URIs and help links', async () => {
    const r = await run('--format=sarif', 'a', 'nb');
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'obo-lint');
    assert.equal(run0.tool.driver.version, '9.9.9');
    const rules = run0.tool.driver.rules as {
      id: string;
      helpUri: string;
      shortDescription: { text: string };
    }[];
    assert.deepEqual(
      rules.map((x) => [x.id, x.helpUri]),
      [
        ['OBO101', 'https://example.test/repo/blob/main/docs/rules/OBO101.md'],
        ['OBO202', 'https://example.test/repo/blob/main/docs/rules/OBO202.md'],
      ],
    );
    const results = run0.results as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(
      results.map((x) => [x.ruleId, rules[x.ruleIndex].id, x.level]),
      [
        ['OBO202', 'OBO202', 'warning'],
        ['OBO101', 'OBO101', 'error'],
        ['OBO101', 'OBO101', 'error'],
      ],
    );
    assert.deepEqual(results[1].locations[0].physicalLocation, {
      artifactLocation: { uri: 'a/agent.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: 15, endLine: 6, endColumn: 81 },
    });
    assert.equal(results[2].locations[0].physicalLocation.region, undefined, 'no JSON-line region for cells');
    assert.deepEqual(results[2].properties, { cell: 1, line: 6, column: 15 });
    assert.equal(run0.originalUriBaseIds['%SRCROOT%'].uri, `file://${root}/`);
  });

  it('exits 2 on an unreadable path but still reports the other files', async () => {
    fs.symlinkSync(path.join(root, 'nowhere.py'), path.join(root, 'b', 'dangling.py'));
    try {
      const r = await run('does-not-exist', 'b');
      assert.equal(r.code, 2);
      assert.match(r.stdout, /^b\/agent\.py:5:15: OBO101/m);
      assert.match(r.stderr, /^obo-lint: cannot read does-not-exist: no such file or directory$/m);
      assert.match(r.stderr, /^obo-lint: cannot read b\/dangling\.py: no such file or directory$/m);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      fs.unlinkSync(path.join(root, 'b', 'dangling.py'));
    }
  });

  it('exits 2 on bad usage with a pointer to --help', async () => {
    for (const args of [['--format', 'xml', 'a'], ['--nope'], ['--format'], ['--config']]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^obo-lint: .+\nRun obo-lint --help for usage\.\n$/);
      assert.equal(r.stdout, '');
    }
  });

  it('prints help and version', async () => {
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: obo-lint \[--format text\|json\|sarif\]/);
    assert.match(help.stdout, /cell N/);
    assert.deepEqual([(await run('-V')).stdout, (await run('--version')).code], ['obo-lint 9.9.9\n', 0]);
  });

  it('passes a --config catalog to the project, and exits 2 on a bad or missing config', async () => {
    fs.writeFileSync(
      path.join(root, 'good.toml'),
      '[tool.obo]\nscopes = ["brand-new-scope"]\n[[tool.obo.consumers]]\ncallees = ["acme.tools.Tool"]\nneeds = { required = ["dashboards.genie"] }\n',
    );
    const { deps, out } = captureDeps(root);
    assert.equal(await runCli(['--config', 'good.toml', 'a/plain.py'], deps), 0);
    const catalog = out.options[0].catalog!;
    assert.ok(catalog.scopes.some((s) => s.name === 'brand-new-scope'));
    assert.ok(catalog.consumers.some((c) => c.callees.includes('acme.tools.Tool')));

    const bad = await run('--config', 'bad.json', 'b');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: consumers\[0\]: needs "callees"/);
    assert.match(bad.stdout, /OBO101/, 'findings are still reported');
    const missing = await run('--config', 'missing.toml', 'a/plain.py');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing\.toml: cannot read config: no such file or directory/);
  });

  it('uses [tool.obo] of ./pyproject.toml when present, warning (not failing) on problems', async () => {
    const pyproject = path.join(root, 'pyproject.toml');
    fs.writeFileSync(
      pyproject,
      '[project]\nname = "x"\n\n[tool.obo]\nscopes = ["from-pyproject"]\nconsumer = 1\n',
    );
    const { deps, out } = captureDeps(root);
    assert.equal(await runCli(['a/plain.py'], deps), 0);
    assert.ok(out.options[0].catalog!.scopes.some((s) => s.name === 'from-pyproject'));
    assert.match(out.stderr, /^obo-lint: warning: pyproject\.toml: unknown key `consumer`/m);
  });
});
