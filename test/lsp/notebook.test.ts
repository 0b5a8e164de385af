// LSP tests: Jupyter notebooks through the notebook document sync — per-cell diagnostics, cell edits, fixes across cells.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
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
