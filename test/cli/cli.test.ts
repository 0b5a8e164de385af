// End-to-end tests of the bundled `obo-lint` (dist/cli.js) on fixture projects: formats, exit codes, walking, real findings.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { JsonFinding } from '../../server/src/cli/formatJson';
import { BAD_AGENT, FIXTURES, makeTree, removeTree, runCli } from './helpers';

function parseJson(stdout: string): JsonFinding[] {
  const doc = JSON.parse(stdout) as { version: number; findings: JsonFinding[] };
  assert.equal(doc.version, 1);
  assert.ok(Array.isArray(doc.findings));
  for (const f of doc.findings) {
    assert.deepEqual(
      Object.keys(f).filter((k) => k !== 'cell'),
      ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message'],
    );
    assert.ok(!path.isAbsolute(f.file), `relative path: ${f.file}`);
    assert.match(f.code, /^OBO\d{3}$/);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity), f.severity);
    assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line, JSON.stringify(f));
    assert.ok(f.cell === undefined || (Number.isInteger(f.cell) && f.cell >= 0));
  }
  const key = (f: JsonFinding) => [f.file, f.cell ?? -1, f.line, f.column] as const;
  for (let i = 1; i < doc.findings.length; i++) {
    const [a, b] = [key(doc.findings[i - 1]), key(doc.findings[i])];
    assert.ok(
      a[0] < b[0] ||
        (a[0] === b[0] &&
          (a[1] < b[1] || (a[1] === b[1] && (a[2] < b[2] || (a[2] === b[2] && a[3] <= b[3]))))),
      'sorted',
    );
  }
  return doc.findings;
}

/** 1-based line of the first line of a fixture file containing `needle`. */
function lineOf(file: string, needle: string): number {
  return (
    fs
      .readFileSync(path.join(FIXTURES, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1
  );
}

const exitFor = (findings: JsonFinding[]) => (findings.some((f) => f.severity === 'error') ? 1 : 0);

describe('obo-lint (bundled CLI)', () => {
  it('prints help and version, and exits 2 on bad usage without a stack trace', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: obo-lint /m);
    const version = runCli(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^obo-lint \d+\.\d+\.\d+\n$/);
    const bad = runCli(['--format', 'xml', 'project']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format needs one of text, json, sarif/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });

  it('reports the init-time user client of a two-file project (agent.py + driver.py) as OBO101, exit 1', () => {
    const r = runCli(['project']);
    assert.equal(r.status, 1, r.stderr);
    const line = lineOf('project/agent.py', 'user_client = WorkspaceClient(');
    assert.match(r.stdout, new RegExp(`^project/agent\\.py:${line}:\\d+: OBO101 .+$`, 'm'));
    assert.match(r.stdout, /^Found \d+ problems? \(\d+ errors?, \d+ warnings?(, \d+ notes?)?\)\.$/m);
    for (const l of r.stdout.trimEnd().split('\n').slice(0, -1)) {
      assert.match(l, /^project\/(agent|driver|helpers)\.py:\d+:\d+: OBO\d{3} \S/, l);
    }
  });

  it('gives the same findings as JSON, sorted, with an exit status that follows their severity', () => {
    const r = runCli(['--format', 'json', 'project']);
    const findings = parseJson(r.stdout);
    const obo101 = findings.find((f) => f.code === 'OBO101');
    assert.ok(obo101, r.stdout);
    assert.deepEqual(
      [obo101.file, obo101.line, obo101.severity],
      ['project/agent.py', lineOf('project/agent.py', 'user_client = WorkspaceClient('), 'error'],
    );
    assert.equal(r.status, exitFor(findings));
    const text = runCli(['project']);
    assert.equal(
      text.stdout.trimEnd().split('\n').length - 1,
      findings.length,
      'one text line per JSON finding',
    );
  });

  it('writes SARIF 2.1.0 whose results reference the driver rules', () => {
    const r = runCli(['--format', 'sarif', 'project']);
    assert.equal(r.status, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const driver = sarif.runs[0].tool.driver;
    assert.equal(driver.name, 'obo-lint');
    const ids = (driver.rules as { id: string; helpUri: string }[]).map((x) => x.id);
    assert.ok(ids.includes('OBO101') && ids.includes('OBO201'));
    for (const rule of driver.rules as {
      id: string;
      helpUri: string;
      shortDescription: { text: string };
    }[]) {
      assert.match(rule.helpUri, new RegExp(`^https?://.+/docs/rules/${rule.id}\\.md$`));
      assert.ok(rule.shortDescription.text.length > 0);
    }
    const results = sarif.runs[0].results as {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: unknown[];
    }[];
    assert.ok(results.some((x) => x.ruleId === 'OBO101' && x.level === 'error'));
    for (const x of results) {
      assert.equal(ids[x.ruleIndex], x.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(x.level));
    }
  });

  it('reports a %%writefile agent inside a .ipynb with its cell (0-based in JSON, 1-based in text)', () => {
    const json = runCli(['--format', 'json', 'notebook']);
    const findings = parseJson(json.stdout);
    const obo101 = findings.find((f) => f.code === 'OBO101');
    assert.ok(obo101, json.stdout);
    assert.equal(obo101.file, 'notebook/support_agent.ipynb');
    assert.equal(obo101.cell, 2);
    // Line 1 of the cell is `%%writefile agent.py`, so the agent's line N is the cell's line N + 1.
    assert.equal(obo101.line, lineOf('project/agent.py', 'user_client = WorkspaceClient(') + 1);
    const text = runCli(['notebook']);
    assert.match(
      text.stdout,
      new RegExp(`^notebook/support_agent\\.ipynb:cell 3:${obo101.line}:${obo101.column}: OBO101 `, 'm'),
    );
  });

  it('exits 0 on a correctly built agent', () => {
    const r = runCli(['--format', 'json', 'clean']);
    const findings = parseJson(r.stdout);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(r.status, 0, r.stderr);
  });

  it('copes with half-typed code and a truncated notebook without failing', () => {
    const r = runCli(['--format', 'json', 'broken']);
    parseJson(r.stdout);
    assert.ok(r.status === 0 || r.status === 1, `status ${r.status}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });

  it('exits 2 on an unreadable path and still reports the other files', () => {
    const r = runCli(['no/such/folder', 'project']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^obo-lint: cannot read no\/such\/folder: no such file or directory$/m);
    assert.match(r.stdout, /^project\/agent\.py:\d+:\d+: OBO101 /m);
  });
});

describe('obo-lint walking rules', () => {
  const root = makeTree({
    '.gitignore': 'ignored/\n*.local.py\n',
    'app/agent.py': BAD_AGENT,
    'app/scratch.local.py': BAD_AGENT,
    'app/unreadable.local.py': { link: 'nowhere.py' },
    'ignored/agent.py': BAD_AGENT,
    '.venv/lib/agent.py': BAD_AGENT,
    'venv/lib/agent.py': BAD_AGENT,
    'tools/env/pyvenv.cfg': 'home = /usr/bin\n',
    'tools/env/lib/agent.py': BAD_AGENT,
    'node_modules/pkg/agent.py': BAD_AGENT,
    'app/__pycache__/agent.py': BAD_AGENT,
    'app/agent.txt': BAD_AGENT,
  });
  after(() => removeTree(root));

  it('reads only files outside ignored, virtualenv, dependency and cache folders', () => {
    const r = runCli(['--format', 'json', '.'], root);
    // The gitignored dangling link is never read, so it cannot make the run fail with 2.
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const files = [...new Set(parseJson(r.stdout).map((f) => f.file))];
    assert.deepEqual(files, ['app/agent.py']);
  });

  it('reads an ignored file when it is named on the command line', () => {
    const r = runCli(['--format', 'json', 'ignored/agent.py'], root);
    assert.deepEqual([...new Set(parseJson(r.stdout).map((f) => f.file))], ['ignored/agent.py']);
  });
});
