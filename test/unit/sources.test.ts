// Unit tests for source extraction: .py files, Databricks notebook sources, Jupyter notebooks, %%writefile units, the prefilter.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { InputCell } from '../../server/src/analyser/model';
import { extractUnits } from '../../server/src/analyser/sources/extract';
import { BUILTIN_CATALOG } from '../../server/src/catalog/data';
import { extendCatalog } from '../../server/src/catalog/extend';
import { mayMatter, prefilterNames } from '../../server/src/analyser/sources/prefilter';
import { toRealLocation, type PythonUnit } from '../../server/src/analyser/sources/unit';
import { databricksCells, jupyterVectorSearchCells, SEEDS, seedNotebook, toIpynb } from '../seedForms';

// The seed notebooks (kept once, as Databricks sources) and the forms derived from them; the paths of derived
// forms are virtual, beside the fixture, so %%writefile targets resolve there.
const VECTOR_SEARCH = seedNotebook('vectorSearch');
const GENIE = seedNotebook('genie');
const GENIE_IPYNB = toIpynb(databricksCells(GENIE.text), 'string');
const beside = (name: string) => path.join(SEEDS, name);

/** Real lines of a file, or of each cell of a Jupyter notebook, as an editor shows them. */
type RealLines = (line: number, cell?: number) => string | undefined;

function fileLines(text: string): RealLines {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  return (line) => lines[line];
}

function cellLines(ipynb: string): RealLines {
  const cells = (JSON.parse(ipynb) as { cells: { source: string | string[] }[] }).cells.map((c) =>
    (Array.isArray(c.source) ? c.source.join('') : c.source).split(/\r\n|\r|\n/),
  );
  return (line, cell) => cells[cell ?? -1]?.[line];
}

function unitOf(units: PythonUnit[], kind: PythonUnit['kind'], suffix?: string): PythonUnit {
  const unit = units.find((u) => u.kind === kind && (!suffix || u.path.endsWith(suffix)));
  assert.ok(
    unit,
    `no ${kind} unit ${suffix ?? ''} among ${units.map((u) => `${u.kind}:${u.path}`).join(', ')}`,
  );
  return unit;
}

/** Every non-blank unit line is the real line from its mapped column on: the map cannot drift. */
function assertFaithful(unit: PythonUnit, real: RealLines): void {
  const lines = unit.text.split('\n');
  assert.ok(unit.lines, 'unit has a line map');
  assert.equal(unit.lines.length, lines.length, 'one origin per unit line');
  lines.forEach((text, i) => {
    const o = unit.lines![i];
    if (text !== '') {
      assert.equal(
        real(o.line, o.cell)?.slice(o.column),
        text,
        `unit line ${i} → real ${o.cell ?? ''}:${o.line}`,
      );
    }
  });
}

/** Finds `token` in the unit, maps it back, and checks the real text holds the token at that exact place. */
function assertRoundTrip(
  unit: PythonUnit,
  token: string,
  real: RealLines,
  expect?: { line: number; cell?: number },
) {
  const lines = unit.text.split('\n');
  const line = lines.findIndex((l) => l.includes(token));
  assert.ok(line >= 0, `token ${token} in unit ${unit.path}`);
  const character = lines[line].indexOf(token);
  const loc = toRealLocation(unit, {
    start: { line, character },
    end: { line, character: character + token.length },
  });
  assert.equal(loc.file, unit.origin);
  const realLine = real(loc.range.start.line, loc.cell);
  assert.equal(realLine?.slice(loc.range.start.character, loc.range.end.character), token);
  if (expect) {
    assert.equal(loc.range.start.line, expect.line);
    assert.equal(loc.cell, expect.cell);
  }
  return loc;
}

describe('plain .py files', () => {
  it('are one file unit with no line map', () => {
    const r = extractUnits({ path: '/p/agent.py', text: 'import os\nx = 1\n' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.units.length, 1);
    assert.deepEqual(r.units[0], {
      path: '/p/agent.py',
      origin: '/p/agent.py',
      kind: 'file',
      text: 'import os\nx = 1\n',
    });
  });

  it('normalise CRLF, CR, BOM and NUL without moving lines or columns', () => {
    const r = extractUnits({ path: '/p/a.py', text: '\uFEFFa = 1\r\nb = 2\rc\0= 3\n' });
    assert.equal(r.units[0].text, 'a = 1\nb = 2\nc = 3\n');
    assert.equal(r.units[0].lines, undefined);
  });

  it('treat missing text as empty', () => {
    const r = extractUnits({ path: '/p/a.py' });
    assert.equal(r.units[0].text, '');
  });
});

describe('Databricks notebook source', () => {
  // With a %sql cell added after the test cell, which the notebook unit must skip.
  const file = VECTOR_SEARCH.path;
  const text = VECTOR_SEARCH.text.replace(
    '\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC ## Log the agent',
    '\n# COMMAND ----------\n\n# MAGIC %sql\n# MAGIC SELECT * FROM main.default.docs LIMIT 10\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC ## Log the agent',
  );
  const real = fileLines(text);
  const { units, problems } = extractUnits({ path: file, text });

  it('gives the notebook unit and one unit per %%writefile target, resolved beside the notebook', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      units.map((u) => [u.kind, u.path, u.origin]),
      [
        ['notebook', file, file],
        ['writefile', beside('agent.py'), file],
      ],
    );
  });

  it('keeps the notebook unit line for line with the file, magic cells blanked', () => {
    const nb = unitOf(units, 'notebook');
    const lines = nb.text.split('\n');
    assert.equal(lines.length, text.split('\n').length);
    assertFaithful(nb, real);
    assert.ok(!nb.text.includes('MAGIC'), 'no magic line survives');
    assert.ok(!nb.text.includes('class LangGraphChatAgent'), 'the writefile body is not notebook code');
    assert.ok(!nb.text.includes('SELECT'), 'the %sql cell is skipped');
    assert.ok(nb.text.includes('dbutils.library.restartPython()'));
    assertRoundTrip(nb, 'mlflow.pyfunc.log_model', real);
  });

  it('maps writefile tokens back to the exact real line and column', () => {
    const agent = unitOf(units, 'writefile');
    assertFaithful(agent, real);
    const loc = assertRoundTrip(agent, 'ModelServingUserCredentials()', real);
    assert.ok(loc.range.start.character > 8, 'column includes the `# MAGIC ` prefix');
    assertRoundTrip(agent, 'class LangGraphChatAgent(ChatAgent)', real);
    assert.match(agent.text, /^from typing import/, 'the body starts after the %%writefile line');
    assert.ok(agent.text.includes('index_name= <FILL INDEX NAME>'), 'half-typed code is kept as is');
  });

  it('strips `# MAGIC ` (8 columns) and a bare `# MAGIC` (7 columns)', () => {
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %%writefile a.py',
      '# MAGIC x = 1',
      '# MAGIC',
      '# MAGIC y = 2',
    ];
    const agent = unitOf(extractUnits({ path: '/w/nb.py', text: nb.join('\n') }).units, 'writefile');
    assert.equal(agent.text, 'x = 1\n\ny = 2');
    assert.deepEqual(agent.lines, [
      { line: 2, column: 8 },
      { line: 3, column: 7 },
      { line: 4, column: 8 },
    ]);
  });

  it('appends `%%writefile -a` cells and lets a later plain %%writefile replace the file', () => {
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %%writefile agent.py',
      '# MAGIC a = 1',
      '',
      '# COMMAND ----------',
      '',
      '# MAGIC %%writefile -a agent.py',
      '# MAGIC b = 2',
      '',
      '# COMMAND ----------',
      '',
      "# MAGIC %%writefile --append 'other.py'",
      '# MAGIC c = 3',
    ].join('\n');
    const { units } = extractUnits({ path: '/w/sub/nb.py', text: nb });
    const agent = unitOf(units, 'writefile', 'agent.py');
    assert.equal(agent.path, path.resolve('/w/sub/agent.py'));
    assert.equal(agent.text, 'a = 1\nb = 2');
    assert.deepEqual(
      agent.lines?.map((l) => l.line),
      [2, 7],
    );
    assert.equal(unitOf(units, 'writefile', 'other.py').text, 'c = 3', 'append to a new file starts it');

    const replaced = nb.replace('%%writefile -a agent.py', '%%writefile agent.py');
    const again = unitOf(
      extractUnits({ path: '/w/sub/nb.py', text: replaced }).units,
      'writefile',
      'agent.py',
    );
    assert.equal(again.text, 'b = 2');
  });

  it('keeps `# MAGIC %python` cells as Python and blanks line magics in code cells', () => {
    const nb = [
      '# Databricks notebook source',
      '# MAGIC %python',
      '# MAGIC w = WorkspaceClient()',
      '',
      '# COMMAND ----------',
      '',
      '%pip install databricks-sdk',
      '!ls',
      'x = (1',
      '     != 2)',
    ].join('\n');
    const unit = unitOf(extractUnits({ path: '/w/nb.py', text: nb }).units, 'notebook');
    const lines = unit.text.split('\n');
    assert.equal(lines[2], 'w = WorkspaceClient()');
    assert.deepEqual(unit.lines?.[2], { line: 2, column: 8 });
    assert.equal(lines[1], '', 'the %python marker line is blanked');
    assert.equal(lines[6], '');
    assert.equal(lines[7], '');
    assert.equal(lines[9], '     != 2)', '`!=` continuing an expression is Python');
  });

  it('gives the same units for CRLF, CR and a BOM', () => {
    const lf = units.map((u) => [u.path, u.text, u.lines]);
    for (const variant of [text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r'), '\uFEFF' + text]) {
      const other = extractUnits({ path: file, text: variant }).units.map((u) => [u.path, u.text, u.lines]);
      assert.deepEqual(other, lf);
    }
  });

  it('is recognised by its first line whatever the extension', () => {
    const r = extractUnits({ path: '/w/export.txt', text: '# Databricks notebook source\nx = 1\n' });
    assert.equal(r.units[0].kind, 'notebook');
  });

  it('reports a %%writefile that names no file', () => {
    const r = extractUnits({
      path: '/w/nb.py',
      text: '# Databricks notebook source\n# MAGIC %%writefile\n# MAGIC x = 1',
    });
    assert.equal(r.units.length, 1);
    assert.deepEqual(r.problems, [
      { message: '%%writefile names no file; the cell is not analysed', line: 1 },
    ]);
  });
});

describe('Jupyter notebooks', () => {
  const file = beside('vector_search_notebook.ipynb');
  const text = toIpynb(jupyterVectorSearchCells());
  const real = cellLines(text);
  const { units, problems } = extractUnits({ path: file, text });

  it('gives the notebook unit and the %%writefile unit', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      units.map((u) => [u.kind, u.path]),
      [
        ['notebook', file],
        ['writefile', beside('agent.py')],
      ],
    );
  });

  it('maps writefile tokens to their cell and the line within it', () => {
    const agent = unitOf(units, 'writefile');
    assertFaithful(agent, real);
    assert.ok(agent.lines?.every((l) => l.cell === 3 && l.column === 0));
    assertRoundTrip(agent, 'from typing import', real, { line: 1, cell: 3 });
    assertRoundTrip(agent, 'ModelServingUserCredentials()', real);
  });

  it('keeps Python code cells with cell indices counted over all cells, magics blanked, others skipped', () => {
    const nb = unitOf(units, 'notebook');
    assertFaithful(nb, real);
    // Cells 0, 2, 4, 9 are markdown, 3 is the %%writefile cell, 7 is %%sql and 8 a SQL-language cell.
    assert.deepEqual([...new Set(nb.lines?.map((l) => l.cell))], [1, 5, 6, 10, 11]);
    assert.ok(!/%pip|%restart_python|!pip|SELECT|iVBOR/.test(nb.text), nb.text);
    assert.ok(nb.text.includes('dbutils.library.restartPython()'));
    assertRoundTrip(nb, 'user_auth_policy=userAuthPolicy', real, { line: 37, cell: 10 });
    assertRoundTrip(nb, 'print(logged_agent_info.model_uri)', real, { line: 1, cell: 11 });
  });

  it('reads string sources (the Genie seed)', () => {
    const genie = GENIE_IPYNB;
    const r = extractUnits({ path: beside('genie_notebook.ipynb'), text: genie });
    const agent = unitOf(r.units, 'writefile', 'obo_agent.py');
    assertFaithful(agent, cellLines(genie));
    assertRoundTrip(agent, 'client=user_authenticated_client', cellLines(genie));
    const nb = unitOf(r.units, 'notebook');
    assert.ok(nb.text.includes('from obo_agent import LLM_ENDPOINT_NAME'));
  });

  it('takes cells from the editor directly', () => {
    const cells: InputCell[] = [
      { kind: 'markup', source: '# Title' },
      { kind: 'code', source: 'import mlflow\r\n%pip install x', language: 'python' },
      { kind: 'code', source: 'SELECT 1', language: 'sql' },
      { kind: 'code', source: '%%writefile ../agent.py\nclass A(ResponsesAgent): pass' },
      { kind: 'code', source: '%%bash\necho hi' },
      { kind: 'code', source: '%%capture\nw = WorkspaceClient()' },
    ];
    const r = extractUnits({ path: '/w/nb/notebook.ipynb', cells });
    const nb = unitOf(r.units, 'notebook');
    assert.equal(nb.text, 'import mlflow\n\n\nw = WorkspaceClient()');
    assert.deepEqual(nb.lines, [
      { cell: 1, line: 0, column: 0 },
      { cell: 1, line: 1, column: 0 },
      { cell: 5, line: 0, column: 0 },
      { cell: 5, line: 1, column: 0 },
    ]);
    const agent = unitOf(r.units, 'writefile');
    assert.equal(agent.path, path.resolve('/w/agent.py'));
    const loc = toRealLocation(agent, { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } });
    assert.deepEqual(loc, {
      file: '/w/nb/notebook.ipynb',
      cell: 3,
      range: { start: { line: 1, character: 6 }, end: { line: 1, character: 7 } },
    });
  });

  it('skips code cells whose language is not Python, from cell or notebook metadata', () => {
    const nb = (cells: unknown[], metadata: unknown = {}) =>
      extractUnits({ path: '/w/n.ipynb', text: JSON.stringify({ cells, metadata }) });
    const sqlCell = { cell_type: 'code', source: 'x = 1', metadata: { vscode: { languageId: 'sql' } } };
    assert.equal(nb([sqlCell]).units[0].text, '');
    const scala = nb([{ cell_type: 'code', source: 'val x = 1' }], { language_info: { name: 'scala' } });
    assert.equal(scala.units[0].text, '');
    const dbxSql = nb([
      { cell_type: 'code', source: '%sql\nSELECT 1' },
      { cell_type: 'code', source: '%md\n# x' },
    ]);
    assert.equal(dbxSql.units[0].text, '');
  });
});

describe('malformed notebooks never throw and say what is wrong', () => {
  const ipynb = (text: string) => extractUnits({ path: '/w/bad.ipynb', text });

  it('reports invalid JSON with its line', () => {
    const r = ipynb('{\n "cells": [\n  {"cell_type": "code" "source": "x"}\n ]\n}');
    assert.deepEqual(r.units, []);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^notebook is not valid JSON: /);
    assert.equal(r.problems[0].line, 2);
  });

  it('reports truncated JSON, a non-object root and a missing cells list', () => {
    assert.match(ipynb('{"cells": [').problems[0].message, /not valid JSON/);
    assert.match(ipynb('null').problems[0].message, /not a JSON object/);
    assert.match(ipynb('[1, 2]').problems[0].message, /not a JSON object/);
    assert.match(ipynb('{"metadata": {}}').problems[0].message, /no `cells` list/);
    assert.match(ipynb('').problems[0].message, /not valid JSON/);
  });

  it('skips null cells and unreadable sources but keeps the other cells and their indices', () => {
    const cells = [
      null,
      { cell_type: 'code', source: 42 },
      { cell_type: 'code', source: ['a = 1\n', null] },
      { cell_type: 'code', source: ['w = WorkspaceClient()\n', 'x = 2'], outputs: 'not a list' },
      'junk',
    ];
    const r = ipynb(JSON.stringify({ cells }));
    assert.deepEqual(
      r.problems.map((p) => p.message),
      [
        'cell 0 is not an object; skipped',
        'cell 1 has no readable source; skipped',
        'cell 2 has no readable source; skipped',
        'cell 4 is not an object; skipped',
      ],
    );
    const nb = unitOf(r.units, 'notebook');
    assert.equal(nb.text, 'w = WorkspaceClient()\nx = 2');
    assert.deepEqual(
      nb.lines?.map((l) => l.cell),
      [3, 3],
    );
  });

  it('reads nbformat 3 worksheets and a BOM', () => {
    const v3 = { worksheets: [{ cells: [{ cell_type: 'code', input: ['import mlflow\n'] }] }] };
    const r = ipynb('\uFEFF' + JSON.stringify(v3));
    assert.deepEqual(r.problems, []);
    assert.equal(unitOf(r.units, 'notebook').text, 'import mlflow\n');
  });

  it('survives NUL bytes and any truncation of a real notebook', () => {
    const text = GENIE_IPYNB;
    for (let cut = 0; cut < text.length; cut += 97) {
      for (const t of [text.slice(0, cut), text.slice(cut), text.slice(0, cut) + '\0' + text.slice(cut)]) {
        const r = ipynb(t);
        for (const u of r.units) {
          assert.equal(u.lines?.length, u.text.split('\n').length);
        }
        assert.ok(r.units.length > 0 || r.problems.length > 0, 'either units or a problem');
      }
    }
    const db = GENIE.text;
    for (let cut = 0; cut < db.length; cut += 89) {
      for (const u of extractUnits({ path: '/w/nb.py', text: db.slice(0, cut) + '\0' + db.slice(cut) })
        .units) {
        if (u.lines) {
          assertFaithful(u, fileLines(db.slice(0, cut) + ' ' + db.slice(cut)));
        }
      }
    }
  });
});

describe('prefilter', () => {
  const matters = (text: string) => mayMatter(text, BUILTIN_CATALOG);

  it('is true for every name that can matter', () => {
    const names = prefilterNames(BUILTIN_CATALOG);
    // Derived from the catalog: the constructions, credentials, keywords, agent bases and log sites are all there.
    for (const expected of [
      'ModelServingUserCredentials',
      'MODEL_SERVING_USER_CREDENTIALS',
      'credentials_strategy',
      'credential_strategy',
      'WorkspaceClient',
      'VectorSearchClient',
      'GenieAgent',
      'DatabricksMCPClient',
      'ChatDatabricks',
      'ResponsesAgent',
      'ChatAgent',
      'PythonModel',
      'log_model',
      'set_model',
      'UserAuthPolicy',
      'SystemAuthPolicy',
      'api_scopes',
    ]) {
      assert.ok(names.includes(expected), expected);
    }
    for (const name of names) {
      assert.equal(matters(`import os\nx = ${name}\n`), true, name);
    }
    assert.equal(matters('# Databricks notebook source\nprint(1)\n'), true);
  });

  it('is false for ordinary code, whole words only, and case-sensitive', () => {
    assert.equal(matters('import os\n\ndef main():\n    print("hello")\n'), false);
    assert.equal(matters('workspaceclient = 1  # chatagent'), false);
    assert.equal(matters('from app import Config, GenieSpaceConfig\n'), false);
    assert.equal(matters(''), false);
  });

  it('knows the in-house wrappers of an extended catalog', () => {
    const text = 'from acme_tools import GenieTool\ntool = GenieTool(client=c)\n';
    assert.equal(matters(text), false);
    const { catalog } = extendCatalog(BUILTIN_CATALOG, {
      consumers: [
        {
          callees: ['acme_tools.GenieTool'],
          clientParam: { keyword: 'client' },
          needs: { required: ['dashboards.genie'] },
        },
      ],
    });
    assert.equal(mayMatter(text, catalog), true);
  });
});
