// Converts between LSP URIs and the analyser's file-system paths; non-file documents keep their URI as path.
import { normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CELL_SCHEME = 'vscode-notebook-cell';

export function schemeOf(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):/.exec(uri);
  return m ? m[1].toLowerCase() : '';
}

/**
 * Non-file documents (untitled, virtual workspaces) keep their URI as analyser path, normalised the way the
 * analyser normalises paths (`vscode-vfs://x/a.py` → `vscode-vfs:/x/a.py`); this maps such paths back.
 */
const virtualUris = new Map<string, string>();

/** The analyser path for a document URI: the file path for `file:`, the (normalised) URI otherwise. */
export function uriToPath(uri: string): string {
  if (schemeOf(uri) === 'file') {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  const path = normalize(uri);
  if (virtualUris.size > 10_000) {
    virtualUris.clear();
  }
  virtualUris.set(path, uri);
  return path;
}

/** The URI of an analyser path: file paths become `file:` URIs, virtual paths the URI they came from. */
export function pathToUri(path: string): string {
  const virtual = virtualUris.get(path);
  if (virtual !== undefined) {
    return virtual;
  }
  if (/^[a-zA-Z][\w+.-]+:/.test(path) && !/^[a-zA-Z]:[\\/]/.test(path)) {
    return path;
  }
  return pathToFileURL(path).href;
}

/**
 * A key that identifies a notebook cell whatever authority the client put in its URI (code-server adds one),
 * so cells are matched by notebook path and fragment.
 */
export function cellKey(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):(?:\/\/[^/]*)?(.*)$/.exec(uri);
  if (!m) {
    return uri;
  }
  let rest = m[2];
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // Keep the raw text: a malformed escape still identifies the cell consistently.
  }
  return `${m[1].toLowerCase()}:${rest}`;
}

/** Same as `cellKey` for any URI: scheme + decoded path, without authority, for authority-insensitive lookups. */
export const uriKey = cellKey;
