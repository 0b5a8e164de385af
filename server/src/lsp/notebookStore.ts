// Open notebooks from the notebook document sync: cells in order (markdown included) with their text documents.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InputCell } from '../analyser/model';
import { cellKey, uriToPath } from './uriPaths';

export interface NotebookCellEntry {
  uri: string;
  kind: 'code' | 'markup';
  doc: TextDocument;
}

export interface OpenNotebook {
  uri: string;
  path: string;
  notebookType: string;
  version: number;
  cells: NotebookCellEntry[];
  /** The analyser has not seen the latest cells yet. */
  dirty: boolean;
}

export interface CellRef {
  notebook: OpenNotebook;
  index: number;
  cell: NotebookCellEntry;
}

interface RawCell {
  kind?: unknown;
  document?: unknown;
}

interface RawTextItem {
  uri?: unknown;
  languageId?: unknown;
  version?: unknown;
  text?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback;
}

/** LSP NotebookCellKind: 1 = Markup, 2 = Code. */
function cellKind(kind: unknown): 'code' | 'markup' {
  return kind === 1 ? 'markup' : 'code';
}

export class NotebookStore {
  private readonly byUri = new Map<string, OpenNotebook>();
  private readonly byPath = new Map<string, OpenNotebook>();

  /** `didOpen`: the notebook's cells plus the text documents of those cells. */
  open(notebook: unknown, cellTextDocuments: unknown): OpenNotebook | undefined {
    if (!isObject(notebook) || typeof notebook.uri !== 'string') {
      return undefined;
    }
    const texts = new Map<string, RawTextItem>();
    for (const item of Array.isArray(cellTextDocuments) ? cellTextDocuments : []) {
      if (isObject(item) && typeof item.uri === 'string') {
        texts.set(cellKey(item.uri), item);
      }
    }
    const cells: NotebookCellEntry[] = [];
    for (const raw of Array.isArray(notebook.cells) ? (notebook.cells as RawCell[]) : []) {
      const entry = this.makeCell(raw, texts);
      if (entry) {
        cells.push(entry);
      }
    }
    const nb: OpenNotebook = {
      uri: notebook.uri,
      path: uriToPath(notebook.uri),
      notebookType: typeof notebook.notebookType === 'string' ? notebook.notebookType : 'jupyter-notebook',
      version: num(notebook.version),
      cells,
      dirty: true,
    };
    this.close(notebook.uri);
    this.byUri.set(cellKey(nb.uri), nb);
    this.byPath.set(nb.path, nb);
    return nb;
  }

  /** `didChange`: structure (inserted/deleted cells), cell kinds, and cell text edits. */
  change(notebookRef: unknown, change: unknown): OpenNotebook | undefined {
    if (!isObject(notebookRef) || typeof notebookRef.uri !== 'string') {
      return undefined;
    }
    const nb = this.byUri.get(cellKey(notebookRef.uri));
    if (!nb || !isObject(change)) {
      return nb;
    }
    nb.version = num(notebookRef.version, nb.version + 1);
    nb.dirty = true;
    const cells = isObject(change.cells) ? change.cells : undefined;
    if (!cells) {
      return nb;
    }
    if (isObject(cells.structure)) {
      this.applyStructure(nb, cells.structure);
    }
    for (const data of Array.isArray(cells.data) ? cells.data : []) {
      if (isObject(data) && typeof data.document === 'string') {
        const ref = this.findIn(nb, data.document);
        if (ref) {
          ref.cell.kind = cellKind(data.kind);
        }
      }
    }
    for (const item of Array.isArray(cells.textContent) ? cells.textContent : []) {
      if (!isObject(item) || !isObject(item.document) || typeof item.document.uri !== 'string') {
        continue;
      }
      const ref = this.findIn(nb, item.document.uri);
      if (!ref) {
        continue;
      }
      const version = num(item.document.version, ref.cell.doc.version + 1);
      for (const c of Array.isArray(item.changes) ? item.changes : []) {
        ref.cell.doc = applyClamped(ref.cell.doc, c);
      }
      ref.cell.doc = TextDocument.update(ref.cell.doc, [], version);
    }
    return nb;
  }

  close(uri: string): OpenNotebook | undefined {
    const nb = this.byUri.get(cellKey(uri));
    if (nb) {
      this.byUri.delete(cellKey(uri));
      if (this.byPath.get(nb.path) === nb) {
        this.byPath.delete(nb.path);
      }
    }
    return nb;
  }

  get(uri: string): OpenNotebook | undefined {
    return this.byUri.get(cellKey(uri));
  }

  getByPath(path: string): OpenNotebook | undefined {
    return this.byPath.get(path);
  }

  all(): IterableIterator<OpenNotebook> {
    return this.byUri.values();
  }

  /** The notebook and index of a cell document, matched without the URI authority. */
  findCell(uri: string): CellRef | undefined {
    const key = cellKey(uri);
    for (const nb of this.byUri.values()) {
      const index = nb.cells.findIndex((c) => cellKey(c.uri) === key);
      if (index >= 0) {
        return { notebook: nb, index, cell: nb.cells[index] };
      }
    }
    return undefined;
  }

  /** What the analyser gets for a notebook: every cell in order, so cell indices match the notebook's. */
  static toInputCells(nb: OpenNotebook): InputCell[] {
    return nb.cells.map((c) => ({ kind: c.kind, source: c.doc.getText(), language: c.doc.languageId }));
  }

  private findIn(nb: OpenNotebook, uri: string): CellRef | undefined {
    const key = cellKey(uri);
    const index = nb.cells.findIndex((c) => cellKey(c.uri) === key);
    return index >= 0 ? { notebook: nb, index, cell: nb.cells[index] } : undefined;
  }

  private applyStructure(nb: OpenNotebook, structure: Record<string, unknown>): void {
    const texts = new Map<string, RawTextItem>();
    for (const item of Array.isArray(structure.didOpen) ? structure.didOpen : []) {
      if (isObject(item) && typeof item.uri === 'string') {
        texts.set(cellKey(item.uri), item);
      }
    }
    const array = isObject(structure.array) ? structure.array : undefined;
    if (array) {
      const start = Math.min(Math.max(0, num(array.start)), nb.cells.length);
      const deleteCount = Math.max(0, num(array.deleteCount));
      const inserted: NotebookCellEntry[] = [];
      for (const raw of Array.isArray(array.cells) ? (array.cells as RawCell[]) : []) {
        const entry = this.makeCell(raw, texts, nb);
        if (entry) {
          inserted.push(entry);
        }
      }
      nb.cells.splice(start, deleteCount, ...inserted);
    }
  }

  private makeCell(
    raw: RawCell,
    texts: Map<string, RawTextItem>,
    nb?: OpenNotebook,
  ): NotebookCellEntry | undefined {
    if (!isObject(raw) || typeof raw.document !== 'string') {
      return undefined;
    }
    const uri = raw.document;
    const item = texts.get(cellKey(uri));
    // A moved cell keeps its document: reuse the text we already have when no didOpen carries it.
    const previous = nb?.cells.find((c) => cellKey(c.uri) === cellKey(uri));
    const doc = item
      ? TextDocument.create(
          uri,
          typeof item.languageId === 'string' ? item.languageId : 'python',
          num(item.version),
          typeof item.text === 'string' ? item.text : '',
        )
      : (previous?.doc ?? TextDocument.create(uri, 'python', 0, ''));
    return { uri, kind: cellKind(raw.kind), doc };
  }
}

/** Applies one raw content change with its range clamped to the current text. */
export function applyClamped(doc: TextDocument, change: unknown): TextDocument {
  if (!isObject(change) || typeof change.text !== 'string') {
    return doc;
  }
  const range = isObject(change.range) ? change.range : undefined;
  if (!range) {
    return TextDocument.update(doc, [{ text: change.text }], doc.version);
  }
  const pos = (p: unknown) => {
    const o = isObject(p) ? p : {};
    return doc.offsetAt({ line: Math.max(0, num(o.line)), character: Math.max(0, num(o.character)) });
  };
  const a = pos(range.start);
  const b = pos(range.end);
  const clamped = { start: doc.positionAt(Math.min(a, b)), end: doc.positionAt(Math.max(a, b)) };
  return TextDocument.update(doc, [{ range: clamped, text: change.text }], doc.version);
}
