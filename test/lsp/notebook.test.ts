// LSP tests: Jupyter notebooks through the notebook document sync — per-cell diagnostics, cell edits, fixes across cells.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { jupyterVectorSearchCells, seedNotebook, toIpynb } from '../seedForms';
import { applyEdits, editsByUri, removeWorkspace, tempWorkspace } from './lspHelpers';
import { FIXTURES, LspTestClient, uriOf } from './lspTestClient';

interface RawCell {
  cell_type: string;
  source: string | string[];
}

function notebookCells(file: string): { kind: number; text: string; languageId: string }[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: RawCell[] };
  return nb.cells.map((c) => ({
    kind: c.cell_type === 'markdown' ? 1 : 2,
    text: Array.isArray(c.source) ? c.source.join('') : c.source,
    languageId: c.cell_type === 'markdown' ? 'markdown' : 'python',
  }));
}

/** Cell URIs the way VS Code builds them; code-server adds an authority. */
function cellUri(notebookPath: string, index: number, authority = ''): string {
  return `vscode-notebook-cell://${authority}${uriOf(notebookPath).slice('file://'.length)}#W${index}sZmlsZQ%3D%3D`;
}

describe('notebook documents', () => {
  let dir: string;
  let client: LspTestClient;
  let nbPath: string;
  let cells: { kind: number; text: string; languageId: string }[];
  const cell = (i: number) => cellUri(nbPath, i);

  before(async () => {
    dir = tempWorkspace();
    nbPath = path.join(dir, 'space_agent.ipynb');
    fs.copyFileSync(path.join(FIXTURES, 'notebook', 'space_agent.ipynb'), nbPath);
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    cells = notebookCells(nbPath);
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: uriOf(nbPath),
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((c, i) => ({ kind: c.kind, document: cell(i) })),
      },
      cellTextDocuments: cells.map((c, i) => ({
        uri: cell(i),
        languageId: c.languageId,
        version: 1,
        text: c.text,
      })),
    });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('puts each finding on its cell, lines counted within the cell', async () => {
    const agentCell = await client.diagnostics(cell(1));
    assert.deepEqual(
      agentCell.map((d) => [d.code, d.range.start.line]),
      [['OBO201', 14]],
    );
    const logCell = await client.diagnostics(cell(3));
    assert.deepEqual(
      logCell.map((d) => [d.code, d.range.start.line]),
      [['OBO201', 7]],
    );
    assert.deepEqual(await client.diagnostics(cell(0)), [], 'markdown cells have none');
    assert.equal((agentCell[0].data as { uri: string }).uri, cell(1));
    assert.equal(agentCell[0].relatedInformation?.[0].location.uri, cell(3));
  });

  it('matches cells by notebook, whatever authority the URI carries', async () => {
    const remote = cellUri(nbPath, 1, 'code-server-host');
    assert.deepEqual(
      (await client.diagnostics(remote)).map((d) => d.code),
      ['OBO201'],
    );
  });

  it('the fix in the agent cell edits the log cell, and both cells come out clean', async () => {
    const [missing] = await client.diagnostics(cell(1));
    const [fix] = (await client.codeActions(cell(1), missing.range, [missing])) as CodeAction[];
    assert.equal(fix.isPreferred, true);
    const edits = editsByUri(fix.edit);
    assert.deepEqual([...edits.keys()], [cell(3)]);
    const fixed = applyEdits(cells[3].text, edits.get(cell(3)) ?? []);
    assert.match(fixed, /api_scopes=\["dashboards\.genie", "serving\.serving-endpoints"\]/);
    const refreshes = client.refreshes;
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: uriOf(nbPath), version: 2 },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cell(3), version: 2 },
              changes: (edits.get(cell(3)) ?? []).map((e) => ({ range: e.range, text: e.newText })),
            },
          ],
        },
      },
    });
    assert.deepEqual(await client.diagnostics(cell(3)), []);
    await client.nextRefresh(refreshes);
    assert.deepEqual(await client.diagnostics(cell(1)), []);
  });

  it('follows inserted cells (indices shift, URIs stay)', async () => {
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: uriOf(nbPath), version: 3 },
      change: {
        cells: {
          structure: {
            array: { start: 0, deleteCount: 0, cells: [{ kind: 2, document: cellUri(nbPath, 9) }] },
            didOpen: [{ uri: cellUri(nbPath, 9), languageId: 'python', version: 1, text: 'import os\n' }],
          },
        },
      },
    });
    // Dropping the serving scope again: the finding must land on the agent cell, now at index 2.
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: uriOf(nbPath), version: 4 },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cell(3), version: 3 },
              changes: [{ text: cells[3].text }],
            },
          ],
        },
      },
    });
    const ds: Diagnostic[] = await client.diagnostics(cell(1));
    assert.deepEqual(
      ds.map((d) => d.code),
      ['OBO201'],
    );
    assert.equal(ds[0].range.start.line, 14);
    assert.deepEqual(await client.diagnostics(cellUri(nbPath, 9)), []);
  });

  it('forgets the notebook on close', async () => {
    await client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: uriOf(nbPath) },
      cellTextDocuments: [],
    });
    assert.deepEqual(await client.diagnostics(cell(1)), []);
  });
});

describe("the seeds' notebooks", () => {
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    // The seeds' notebooks as the unit notebook tests use them, one of each kind: the Genie one as its Databricks
    // source, the vector-search one converted to Jupyter with the extra cells the notebook sync must skip.
    dir = tempWorkspace(undefined, {
      'obo_genie.py': seedNotebook('genie').text,
      'obo_vector_search.ipynb': toIpynb(jupyterVectorSearchCells()),
    });
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('the vector-search notebook (notebook sync): the legacy import is flagged in its cell and fixed there', async () => {
    const nbPath = path.join(dir, 'obo_vector_search.ipynb');
    const cells = notebookCells(nbPath);
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: uriOf(nbPath),
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((c, i) => ({ kind: c.kind, document: cellUri(nbPath, i) })),
      },
      cellTextDocuments: cells.map((c, i) => ({
        uri: cellUri(nbPath, i),
        languageId: c.languageId,
        version: 1,
        text: c.text,
      })),
    });
    const perCell = await Promise.all(cells.map((_, i) => client.diagnostics(cellUri(nbPath, i))));
    const flagged = perCell.flatMap((ds, i) => ds.map((d) => [i, d.code]));
    assert.deepEqual(flagged, [[3, 'OBO402']]);
    const [legacy] = perCell[3];
    const line = cells[3].text.split('\n')[legacy.range.start.line];
    assert.match(line, /from databricks\.sdk\.credentials_provider import ModelServingUserCredentials/);
    const [fix] = (await client.codeActions(cellUri(nbPath, 3), legacy.range, [legacy])) as CodeAction[];
    const fixed = applyEdits(cells[3].text, editsByUri(fix.edit).get(cellUri(nbPath, 3)) ?? []);
    assert.match(fixed, /from databricks_ai_bridge import ModelServingUserCredentials/);
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: uriOf(nbPath), version: 2 },
      change: {
        cells: {
          textContent: [{ document: { uri: cellUri(nbPath, 3), version: 2 }, changes: [{ text: fixed }] }],
        },
      },
    });
    assert.deepEqual(await client.diagnostics(cellUri(nbPath, 3)), []);
  });

  it('the Genie notebook as Databricks source (text sync): findings sit on the exact text, past `# MAGIC` prefixes', async () => {
    const file = path.join(dir, 'obo_genie.py');
    const text = fs.readFileSync(file, 'utf8');
    await client.open(uriOf(file), text);
    const ds = await client.diagnostics(uriOf(file));
    const lines = text.split('\n');
    const at = (d: Diagnostic) =>
      lines[d.range.start.line].slice(
        d.range.start.character,
        d.range.end.line === d.range.start.line ? d.range.end.character : undefined,
      );
    assert.deepEqual(
      ds.map((d) => [d.code, at(d)]),
      [
        ['OBO402', 'ModelServingUserCredentials'],
        ['OBO202', '"serving.serving-endpoints"'],
      ],
    );
  });
});
