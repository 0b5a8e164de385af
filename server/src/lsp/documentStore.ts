// Open text documents: applies (clamped) incremental changes and keeps them pending for the analyser's incremental parse.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../analyser/project';
import { uriToPath } from './uriPaths';

export interface OpenDocument {
  uri: string;
  path: string;
  languageId: string;
  version: number;
  doc: TextDocument;
  /** Changes not yet given to the analyser, in order; `full`: send the whole text; undefined: in sync. */
  pending: TextChange[] | 'full' | undefined;
}

/** More pending edits than this are cheaper to send as one full text. */
const MAX_PENDING = 256;

interface RawPosition {
  line?: unknown;
  character?: unknown;
}

function toInt(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0;
}

export class TextDocumentStore {
  private readonly byUri = new Map<string, OpenDocument>();
  private readonly byPath = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const path = uriToPath(uri);
    const existing = this.byUri.get(uri);
    if (existing) {
      this.byPath.delete(existing.path);
    }
    const entry: OpenDocument = {
      uri,
      path,
      languageId,
      version: toInt(version),
      doc: TextDocument.create(uri, languageId, toInt(version), text),
      pending: 'full',
    };
    this.byUri.set(uri, entry);
    this.byPath.set(path, entry);
    return entry;
  }

  /**
   * Applies content changes in order. Ranges are clamped to the text as it is before each change, so a client
   * sending out-of-range positions can't corrupt the text or the analyser's tree. Returns undefined for a
   * document that is not open.
   */
  change(uri: string, version: unknown, changes: readonly unknown[]): OpenDocument | undefined {
    const entry = this.byUri.get(uri);
    if (!entry) {
      return undefined;
    }
    const pending: TextChange[] =
      entry.pending === 'full' || entry.pending === undefined ? [] : entry.pending;
    let full = entry.pending === 'full';
    for (const raw of changes) {
      if (typeof raw !== 'object' || raw === null || typeof (raw as { text?: unknown }).text !== 'string') {
        continue;
      }
      const text = (raw as { text: string }).text;
      const range = (raw as { range?: { start?: RawPosition; end?: RawPosition } }).range;
      if (!range || typeof range !== 'object') {
        entry.doc = TextDocument.update(entry.doc, [{ text }], entry.doc.version);
        full = true;
        pending.length = 0;
        continue;
      }
      const clamped = this.clamp(entry.doc, range.start ?? {}, range.end ?? {});
      entry.doc = TextDocument.update(entry.doc, [{ range: clamped, text }], entry.doc.version);
      if (!full) {
        pending.push({ range: clamped, text });
      }
    }
    const v =
      typeof version === 'number' && Number.isFinite(version) ? Math.floor(version) : entry.version + 1;
    entry.version = v;
    entry.doc = TextDocument.update(entry.doc, [], v);
    entry.pending = full || pending.length > MAX_PENDING ? 'full' : pending;
    return entry;
  }

  close(uri: string): OpenDocument | undefined {
    const entry = this.byUri.get(uri);
    if (entry) {
      this.byUri.delete(uri);
      if (this.byPath.get(entry.path) === entry) {
        this.byPath.delete(entry.path);
      }
    }
    return entry;
  }

  get(uri: string): OpenDocument | undefined {
    return this.byUri.get(uri);
  }

  getByPath(path: string): OpenDocument | undefined {
    return this.byPath.get(path);
  }

  all(): IterableIterator<OpenDocument> {
    return this.byUri.values();
  }

  /** Hands the pending changes over to the caller (the analyser sync) and marks the document clean. */
  takePending(entry: OpenDocument): TextChange[] | 'full' | undefined {
    const pending = entry.pending;
    entry.pending = undefined;
    return pending;
  }

  private clamp(doc: TextDocument, start: RawPosition, end: RawPosition) {
    const a = doc.offsetAt({ line: toInt(start.line), character: toInt(start.character) });
    const b = doc.offsetAt({ line: toInt(end.line), character: toInt(end.character) });
    return { start: doc.positionAt(Math.min(a, b)), end: doc.positionAt(Math.max(a, b)) };
  }
}
