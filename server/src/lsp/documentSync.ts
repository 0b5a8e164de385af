// Document and notebook sync: keeps the open texts and cells, and tells the server which files to analyse again.
import type { Connection } from 'vscode-languageserver/node';
import type { TextDocumentStore } from './documentStore';
import { guardNotification } from './handlerGuard';
import type { NotebookStore } from './notebookStore';
import type { SyncResult } from './projectHost';
import type { ServerLogger } from './serverLogger';
import { CELL_SCHEME, schemeOf, uriToPath } from './uriPaths';

export interface SyncDeps {
  texts: TextDocumentStore;
  notebooks: NotebookStore;
  /** Analyse these files again (and pull their diagnostics). */
  schedule(paths: string[]): void;
  /** A text document opened: its cached settings are stale. */
  opened(uri: string): void;
  /** A document or cell closed: drop what is kept for its uri. */
  forget(uri: string): void;
  /** A file is no longer open: what it changes (undefined before the index is ready). */
  closed(path: string): SyncResult | undefined;
}

/** Registers the text and notebook synchronization handlers; each one is guarded so bad params never throw. */
export function registerDocumentSync(c: Connection, log: ServerLogger, deps: SyncDeps): void {
  c.onDidOpenTextDocument(
    guardNotification(log, 'textDocument/didOpen', (p) => {
      const td = p?.textDocument;
      if (typeof td?.uri !== 'string' || typeof td.text !== 'string') {
        log.warn('textDocument/didOpen without a uri and text; ignored');
        return;
      }
      if (schemeOf(td.uri) === CELL_SCHEME && deps.notebooks.findCell(td.uri)) {
        return;
      }
      deps.texts.open(td.uri, String(td.languageId ?? 'python'), td.version, td.text);
      deps.opened(td.uri);
      deps.schedule([uriToPath(td.uri)]);
    }),
  );
  c.onDidChangeTextDocument(
    guardNotification(log, 'textDocument/didChange', (p) => {
      const uri = p?.textDocument?.uri;
      const before = typeof uri === 'string' ? deps.texts.get(uri)?.version : undefined;
      const entry =
        typeof uri === 'string' && Array.isArray(p.contentChanges)
          ? deps.texts.change(uri, p.textDocument.version, p.contentChanges)
          : undefined;
      if (!entry) {
        log.once(
          `unopened:${String(uri)}`,
          'warn',
          `textDocument/didChange for a document that is not open (${String(uri)}); ignored`,
        );
        return;
      }
      if (
        before !== undefined &&
        typeof p.textDocument.version === 'number' &&
        p.textDocument.version <= before
      ) {
        log.once(
          `stale:${uri}`,
          'warn',
          `textDocument/didChange with a stale version for ${uri}; applied anyway`,
        );
      }
      deps.schedule([entry.path]);
    }),
  );
  c.onDidCloseTextDocument(
    guardNotification(log, 'textDocument/didClose', (p) => {
      const entry =
        typeof p?.textDocument?.uri === 'string' ? deps.texts.close(p.textDocument.uri) : undefined;
      if (!entry) {
        return;
      }
      deps.forget(entry.uri);
      const r = deps.texts.getByPath(entry.path) ? undefined : deps.closed(entry.path);
      if (r) {
        deps.schedule([...r.changed, ...r.affected]);
      }
    }),
  );

  const nb = c.notebooks.synchronization;
  nb.onDidOpenNotebookDocument(
    guardNotification(log, 'notebookDocument/didOpen', (p) => {
      const opened = deps.notebooks.open(p?.notebookDocument, p?.cellTextDocuments);
      if (opened) {
        deps.schedule([opened.path]);
      }
    }),
  );
  nb.onDidChangeNotebookDocument(
    guardNotification(log, 'notebookDocument/didChange', (p) => {
      const changed = deps.notebooks.change(p?.notebookDocument, p?.change);
      if (!changed) {
        log.once(
          `unopened-nb:${String(p?.notebookDocument?.uri)}`,
          'warn',
          'notebookDocument/didChange for a notebook that is not open; ignored',
        );
        return;
      }
      deps.schedule([changed.path]);
    }),
  );
  nb.onDidSaveNotebookDocument(() => undefined);
  nb.onDidCloseNotebookDocument(
    guardNotification(log, 'notebookDocument/didClose', (p) => {
      const closed =
        typeof p?.notebookDocument?.uri === 'string'
          ? deps.notebooks.close(p.notebookDocument.uri)
          : undefined;
      if (!closed) {
        return;
      }
      for (const cell of closed.cells) {
        deps.forget(cell.uri);
      }
      const r = deps.closed(closed.path);
      if (r) {
        deps.schedule([...r.changed, ...r.affected]);
      }
    }),
  );
}
