// The helpers that derive the seed agents' other forms (split files, Jupyter JSON, the Jupyter variant, the fuzz corpus) from the one fixture.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extractUnits } from '../../server/src/analyser/sources/extract';
import { derivedSeedForms, readCorpus, SEED_FIXTURES } from '../fuzz/corpus';
import {
  databricksCells,
  IMAGE_OUTPUT,
  jupyterVectorSearchCells,
  SEEDS,
  seedNotebook,
  splitNotebook,
  toIpynb,
} from '../seedForms';

const NB = [
  '# Databricks notebook source',
  '# MAGIC %md',
  '# MAGIC # Title',
  '# MAGIC',
  '# MAGIC text',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %pip install mlflow',
  '',
  '# COMMAND ----------',
  '',
  '# MAGIC %%writefile agent.py',
  '# MAGIC import mlflow',
  '# MAGIC',
  '# MAGIC AGENT = 1',
  '',
  '# COMMAND ----------',
  '',
  'from agent import AGENT',
  '',
  '# COMMAND ----------',
  '',
  '%pip install x',
  'mlflow.pyfunc.log_model(python_model="agent.py")',
  '',
].join('\n');

describe('splitNotebook', () => {
  it('gives the %%writefile body and the logging cell, as the analyser reads them', () => {
    const split = splitNotebook({ path: '/w/nb.py', text: NB });
    assert.deepEqual(split, {
      agentName: 'agent.py',
      agent: 'import mlflow\n\nAGENT = 1',
      driver: 'mlflow.pyfunc.log_model(python_model="agent.py")',
    });
  });

  it('blanks line magics in the logging cell (the analyser does) and trims the blank lines around it', () => {
    const withMagicLast = NB.replace('%pip install x\nmlflow', 'mlflow').replace(
      'log_model(python_model="agent.py")',
      'log_model(python_model="agent.py")\n%pip install y\nprint(1)',
    );
    assert.equal(
      splitNotebook({ path: '/w/nb.py', text: withMagicLast }).driver,
      'mlflow.pyfunc.log_model(python_model="agent.py")\n\nprint(1)',
    );
  });

  it('refuses a notebook it cannot split unambiguously', () => {
    assert.throws(
      () => splitNotebook({ path: '/w/nb.py', text: NB.replace('log_model', 'save_model') }),
      /log_model/,
    );
    assert.throws(
      () => splitNotebook({ path: '/w/nb.py', text: NB.replace('%%writefile agent.py', '%md') }),
      /one %%writefile/,
    );
  });

  it('splits both seeds: the agent module named by its %%writefile target, the driver logging it', () => {
    for (const [name, agentName] of [
      ['vectorSearch', 'agent.py'],
      ['genie', 'obo_agent.py'],
    ] as const) {
      const nb = seedNotebook(name);
      const split = splitNotebook(nb);
      assert.equal(split.agentName, agentName);
      assert.match(split.agent, /^from typing import/);
      assert.match(split.agent, /mlflow\.models\.set_model\(AGENT\)$/);
      assert.ok(!split.agent.includes('MAGIC') && !split.driver.includes('MAGIC'));
      assert.ok(split.driver.includes(`python_model="${agentName}"`), split.driver);
      assert.ok(split.driver.endsWith('    )'), 'the driver ends with the log_model call');
      // Every agent line is its notebook line without the `# MAGIC` prefix.
      const magic = nb.text
        .split('\n')
        .filter((l) => l.startsWith('# MAGIC'))
        .map((l) => l.replace(/^# MAGIC ?/, ''));
      const body = magic.indexOf(`%%writefile ${agentName}`) + 1;
      assert.deepEqual(split.agent.split('\n'), magic.slice(body, body + split.agent.split('\n').length));
    }
  });
});

describe('databricksCells and toIpynb', () => {
  it('turn `%md` cells into markdown and keep every other cell as code, magics unprefixed', () => {
    assert.deepEqual(databricksCells(NB), [
      { kind: 'markdown', source: '# Title\n\ntext' },
      { kind: 'code', source: '%pip install mlflow' },
      { kind: 'code', source: '%%writefile agent.py\nimport mlflow\n\nAGENT = 1' },
      { kind: 'code', source: 'from agent import AGENT' },
      { kind: 'code', source: '%pip install x\nmlflow.pyfunc.log_model(python_model="agent.py")' },
    ]);
    assert.throws(() => databricksCells('x = 1\n'), /not a Databricks notebook source/);
  });

  it('writes nbformat 4 with line-list or string sources, languages and outputs', () => {
    const cells = [
      { kind: 'markdown' as const, source: '# T' },
      { kind: 'code' as const, source: 'a = 1\nb = 2', outputs: [IMAGE_OUTPUT] },
      { kind: 'code' as const, source: 'SELECT 1', language: 'sql' },
    ];
    const lines = JSON.parse(toIpynb(cells));
    assert.equal(lines.nbformat, 4);
    assert.deepEqual(lines.cells[1].source, ['a = 1\n', 'b = 2']);
    assert.deepEqual(lines.cells[1].outputs, [IMAGE_OUTPUT]);
    assert.deepEqual(lines.cells[2].metadata, { vscode: { languageId: 'sql' } });
    assert.equal(lines.cells[0].cell_type, 'markdown');
    assert.equal(JSON.parse(toIpynb(cells, 'string')).cells[1].source, 'a = 1\nb = 2');
  });

  it('give a notebook whose %%writefile unit is the split agent, in either source form', () => {
    for (const name of ['vectorSearch', 'genie'] as const) {
      const nb = seedNotebook(name);
      const split = splitNotebook(nb);
      for (const form of ['lines', 'string'] as const) {
        const ipynb = path.join(SEEDS, `${name}.ipynb`);
        const r = extractUnits({ path: ipynb, text: toIpynb(databricksCells(nb.text), form) });
        assert.deepEqual(r.problems, []);
        const agent = r.units.find((u) => u.kind === 'writefile');
        assert.equal(agent?.path, path.join(SEEDS, split.agentName));
        assert.equal(agent?.text, split.agent);
      }
    }
  });
});

describe('jupyterVectorSearchCells', () => {
  it('is the converted seed with the restart as a magic, an image output and three extra cells', () => {
    const plain = databricksCells(seedNotebook('vectorSearch').text);
    const variant = jupyterVectorSearchCells();
    assert.equal(variant.length, plain.length + 3);
    const restart = plain.findIndex((c) => c.source === 'dbutils.library.restartPython()');
    assert.ok(restart > 0);
    assert.deepEqual(variant[restart], { kind: 'code', source: '%restart_python' });
    assert.deepEqual(variant[restart + 1].outputs, [IMAGE_OUTPUT]);
    assert.match(variant[restart + 2].source, /^%%sql\n/);
    assert.equal(variant[restart + 3].language, 'sql');
    assert.match(variant[variant.length - 1].source, /^!pip /);
    // Everything else is the converted seed, in order.
    const untouched = variant.filter((_, i) => i !== restart && (i < restart + 1 || i > restart + 3));
    assert.deepEqual(untouched.slice(0, -1), [...plain.slice(0, restart), ...plain.slice(restart + 2)]);
    assert.deepEqual(variant[restart + 1], { ...plain[restart + 1], outputs: [IMAGE_OUTPUT] });
  });
});

describe('the fuzz corpus', () => {
  it('reads each seed notebook once and adds its derived forms under their own names, no seed text twice', () => {
    const corpus = readCorpus();
    for (const file of SEED_FIXTURES) {
      assert.equal(corpus.filter((c) => c.file === file).length, 1, file);
    }
    const derived = derivedSeedForms().map((c) => path.relative(SEEDS, c.file));
    assert.deepEqual(derived, [
      'agent.py',
      'vector_search_notebook.driver.py',
      'vector_search_notebook.ipynb',
      'obo_agent.py',
      'genie_notebook.driver.py',
      'genie_notebook.ipynb',
    ]);
    assert.equal(new Set(corpus.map((c) => c.file)).size, corpus.length, 'no name twice');
    // The seeds' texts stand once (other fixtures' copies are not this helper's business).
    for (const c of corpus.filter((x) => x.file.startsWith(SEEDS + path.sep))) {
      const same = corpus.filter((x) => x.text === c.text).map((x) => x.file);
      assert.deepEqual(same, [c.file]);
    }
  });
});
