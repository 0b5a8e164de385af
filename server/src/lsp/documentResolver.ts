// Maps LSP document URIs to analyser paths (and notebook cells), and analyser locations back to URIs and versions.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location } from '../analyser/model';
import type { TextDocumentStore } from './documentStore';
import type { NotebookStore } from './notebookStore';
import { CELL_SCHEME, pathToUri, schemeOf, uriToPath } from './uriPaths';

/** A document as the server handles it: the analyser path, the cell index for a notebook cell, the open text. */
export interface DocTarget {
  uri: string;
  path: string;
  cell?: number;
  /** The open text (the cell's text for a cell); undefined for a closed file. */
  doc?: TextDocument;
  version: number | null;
  /** The URI settings are resolved for: the notebook for a cell. */
  settingsUri: string;
  notebookUri?: string;
}

export interface UriRef {
  uri: string;
  version: number | null;
  doc?: TextDocument;
}

export class DocumentResolver {
  constructor(
    private readonly texts: TextDocumentStore,
    private readonly notebooks: NotebookStore,
  ) {}

  /** The target of an open document or cell; closed `file:` documents resolve to their path with no text. */
  resolve(uri: string): DocTarget | undefined {
    if (typeof uri !== 'string') {
      return undefined;
    }
    const open = this.texts.get(uri);
    if (open && schemeOf(uri) !== CELL_SCHEME) {
      return { uri, path: open.path, doc: open.doc, version: open.version, settingsUri: uri };
    }
    const ref = this.notebooks.findCell(uri);
    if (ref) {
      return {
        uri: ref.cell.uri,
        path: ref.notebook.path,
        cell: ref.index,
        doc: ref.cell.doc,
        version: ref.cell.doc.version,
        settingsUri: ref.notebook.uri,
        notebookUri: ref.notebook.uri,
      };
    }
    if (open) {
      // A cell synced as a plain text document (no notebook sync): analyse it on its own.
      return { uri, path: open.path, doc: open.doc, version: open.version, settingsUri: uri };
    }
    if (schemeOf(uri) === 'file') {
      return { uri, path: uriToPath(uri), version: null, settingsUri: uri };
    }
    return undefined;
  }

  /**
   * The URI of an analyser location. A cell of a notebook that is not open has no URI (its lines count within
   * the cell, which nothing in the editor shows), so it resolves to undefined.
   */
  uriOf(location: Pick<Location, 'file' | 'cell'>): UriRef | undefined {
    const nb = this.notebooks.getByPath(location.file);
    if (nb) {
      const index = location.cell ?? firstCodeCell(nb.cells);
      const cell = nb.cells[index];
      return cell ? { uri: cell.uri, version: cell.doc.version, doc: cell.doc } : undefined;
    }
    if (location.cell !== undefined) {
      return undefined;
    }
    const open = this.texts.getByPath(location.file);
    if (open) {
      return { uri: open.uri, version: open.version, doc: open.doc };
    }
    return { uri: pathToUri(location.file), version: null };
  }

  /** Does an analyser location fall in this target (same file, same cell)? */
  contains(target: DocTarget, location: Pick<Location, 'file' | 'cell'>): boolean {
    if (location.file !== target.path) {
      return false;
    }
    if (target.cell === undefined) {
      return true;
    }
    if (location.cell === undefined) {
      const nb = this.notebooks.getByPath(target.path);
      return nb !== undefined && firstCodeCell(nb.cells) === target.cell;
    }
    return location.cell === target.cell;
  }

  isOpenPath(path: string): boolean {
    return this.texts.getByPath(path) !== undefined || this.notebooks.getByPath(path) !== undefined;
  }
}

/** Findings with no cell (container problems, failures) are shown on the first code cell. */
function firstCodeCell(cells: readonly { kind: string }[]): number {
  const i = cells.findIndex((c) => c.kind === 'code');
  return i >= 0 ? i : 0;
}
