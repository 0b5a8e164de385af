// Analysis never runs workspace code: a workspace full of traps is indexed, diagnosed and linted, and no trap fires.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, SERVER, uriOf } from '../lsp/lspTestClient';
import { ROOT } from './corpus';

/** Python that leaves a file named after the trap in the markers folder if it ever runs. */
function pyTrap(markers: string, name: string): string {
  return `import pathlib\npathlib.Path(${JSON.stringify(path.join(markers, name))}).write_text("ran")\n`;
}

/** A shell script with the same effect, for fake executables on PATH. */
function shTrap(markers: string, name: string): string {
  return `#!/bin/sh\necho ran > ${JSON.stringify(path.join(markers, name))}\n`;
}

/**
 * Every way a careless analyser or server could end up running the workspace: importing a module, running a
 * notebook cell, materialising a %%writefile cell, running Python from the workspace folder (sitecustomize,
 * shadowed stdlib modules), or spawning an interpreter or a CLI from PATH or from settings.
 */
function buildTrapWorkspace(dir: string, markers: string, bin: string): void {
  const agent = (name: string) =>
    `${pyTrap(markers, name)}from databricks.sdk import WorkspaceClient\nfrom databricks_ai_bridge import ModelServingUserCredentials\n` +
    `from mlflow.pyfunc import ResponsesAgent\n\nclass Agent(ResponsesAgent):\n    def __init__(self):\n` +
    `        self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())\n\n` +
    `    def predict(self, request):\n        return self.w.serving_endpoints.query(name="x")\n`;
  const files: Record<string, string> = {
    'agent.py': agent('agent.py'),
    'driver.py':
      `${pyTrap(markers, 'driver.py')}import mlflow\nimport agent\nfrom helpers import *\n` +
      `mlflow.pyfunc.log_model(name="a", python_model="agent.py", resources=[])\n`,
    'helpers.py': pyTrap(markers, 'helpers.py'),
    'sitecustomize.py': pyTrap(markers, 'sitecustomize.py'),
    'usercustomize.py': pyTrap(markers, 'usercustomize.py'),
    'json.py': pyTrap(markers, 'json.py'),
    'typing.py': pyTrap(markers, 'typing.py'),
    'conftest.py': pyTrap(markers, 'conftest.py'),
    'setup.py': pyTrap(markers, 'setup.py'),
    // Outside the agent's import path (a local mlflow/ would rightly shadow the real one for the analyser too),
    // but first on PYTHONPATH: any Python the server started would import these.
    'shadow/mlflow/__init__.py': pyTrap(markers, 'mlflow__init__.py'),
    'shadow/mlflow/pyfunc.py': pyTrap(markers, 'mlflow.pyfunc.py'),
    'shadow/databricks/sdk/__init__.py': pyTrap(markers, 'databricks.sdk.py'),
    'pkg/__init__.py': pyTrap(markers, 'pkg__init__.py'),
    'pkg/__main__.py': pyTrap(markers, 'pkg__main__.py'),
    'pyproject.toml':
      `[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n` +
      `[tool.obo]\nconsumers = "not a list"\npython = ${JSON.stringify(path.join(bin, 'python3'))}\n`,
    '.vscode/settings.json': JSON.stringify({
      'python.defaultInterpreterPath': path.join(bin, 'python3'),
      'oboAgents.python.interpreter': path.join(bin, 'python3'),
      'oboAgents.deploy.logRegisterScript': 'driver.py',
    }),
    'notebook.ipynb': JSON.stringify({
      metadata: { language_info: { name: 'python' } },
      cells: [
        {
          cell_type: 'code',
          source: `!sh ${path.join(bin, 'sh-trap')}\n%run ./helpers.py\n${pyTrap(markers, 'cell.py')}`,
        },
        { cell_type: 'code', source: `%%writefile ${path.join(markers, 'writefile-abs.py')}\nx = 1\n` },
        { cell_type: 'code', source: '%%writefile ../escaped_writefile.py\nx = 1\n' },
        { cell_type: 'code', source: `%%writefile agent_from_cell.py\n${agent('writefile-cell.py')}` },
        { cell_type: 'code', source: `%%bash\nsh ${path.join(bin, 'sh-trap')}\n` },
      ],
    }),
    'dbx_notebook.py':
      `# Databricks notebook source\n${pyTrap(markers, 'dbx.py')}\n# COMMAND ----------\n\n# MAGIC %sh\n# MAGIC sh ${path.join(bin, 'sh-trap')}\n\n` +
      `# COMMAND ----------\n\n# MAGIC %run ./helpers\n\n# COMMAND ----------\n\n# MAGIC %%writefile ${path.join(markers, 'dbx-writefile.py')}\n# MAGIC x = 1\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.mkdirSync(bin, { recursive: true });
  for (const exe of ['python', 'python3', 'pip', 'pip3', 'databricks', 'uv', 'conda', 'sh-trap']) {
    fs.writeFileSync(path.join(bin, exe), shTrap(markers, `bin-${exe}`), { mode: 0o755 });
  }
}

/** Path → content hash of every file under `dir`: any file written, changed or removed shows. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else {
        out.set(path.relative(dir, p), createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
      }
    }
  };
  walk(dir);
  return out;
}

describe('analysis never executes or imports workspace code', () => {
  let base: string;
  let dir: string;
  let markers: string;
  let bin: string;
  let before0: Map<string, string>;
  // PATH leads to the trap executables; PYTHONSTARTUP and PYTHONPATH to trap scripts: any Python run fires one.
  const env = () => ({
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYTHONSTARTUP: path.join(dir, 'helpers.py'),
    PYTHONPATH: `${path.join(dir, 'shadow')}${path.delimiter}${dir}`,
  });

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-noexec-'));
    dir = path.join(base, 'workspace');
    markers = path.join(base, 'markers');
    bin = path.join(base, 'bin');
    fs.mkdirSync(markers, { recursive: true });
    buildTrapWorkspace(dir, markers, bin);
    before0 = snapshot(dir);
    // The traps themselves must work, or their silence proves nothing.
    const probe = spawnSync('sh', [path.join(bin, 'sh-trap')]);
    assert.equal(probe.status, 0);
    assert.ok(fs.existsSync(path.join(markers, 'bin-sh-trap')), 'the executable trap fires when run');
    fs.rmSync(path.join(markers, 'bin-sh-trap'));
    const py = spawnSync('python3', ['-c', 'import helpers'], { cwd: dir });
    if (py.status === 0) {
      assert.ok(fs.existsSync(path.join(markers, 'helpers.py')), 'the Python trap fires when imported');
      fs.rmSync(path.join(markers, 'helpers.py'));
    }
  });

  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('the language server indexes, diagnoses and answers every feature request without running anything', async () => {
    const client = await LspTestClient.start({
      folder: dir,
      env: env(),
      settings: { python: { interpreter: path.join(bin, 'python3') } },
    });
    try {
      await client.ready();
      const uris: string[] = [];
      for (const [rel] of before0) {
        if (/\.(py|ipynb)$/.test(rel)) {
          const uri = uriOf(path.join(dir, rel));
          uris.push(uri);
          await client.open(uri, fs.readFileSync(path.join(dir, rel), 'utf8'));
        }
      }
      let findings = 0;
      for (const uri of uris) {
        const ds = await client.diagnostics(uri);
        findings += ds.length;
        await client.hover(uri, { line: 5, character: 20 });
        await client.completion(uri, { line: 3, character: 10 });
        await client.codeLenses(uri);
        await client.codeActions(
          uri,
          { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
          ds,
        );
      }
      await client.workspaceDiagnostics();
      await client.connection.sendRequest('obo/agentReports', {});
      // The agent and its log site were analysed for real: the traps sat in code the server did read.
      assert.ok(findings > 0, 'the trap workspace produced findings');
      assert.ok(await client.alive());
    } finally {
      await client.stop();
    }
    assert.deepEqual(fs.readdirSync(markers), [], 'a trap fired: workspace code or an executable ran');
    assert.deepEqual([...snapshot(dir)], [...before0], 'the server wrote into the workspace');
    assert.ok(!fs.existsSync(path.join(base, 'escaped_writefile.py')), '%%writefile escaped the workspace');
  });

  it('the CLI lints the same workspace without running anything', () => {
    const cli = path.join(path.dirname(SERVER), 'cli.js');
    const r = spawnSync(process.execPath, [cli, dir, '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, ...env() },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `obo-lint exit ${r.status}: ${r.stderr}`);
    assert.ok(r.stdout.includes('OBO'), 'the CLI reported findings for the trap workspace');
    assert.deepEqual(fs.readdirSync(markers), [], 'a trap fired under the CLI');
    assert.deepEqual([...snapshot(dir)], [...before0], 'the CLI wrote into the workspace');
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')));
  });
});
