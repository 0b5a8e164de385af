// Converts between LSP URIs and the analyser's file-system paths; non-file documents keep their URI as path.
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CELL_SCHEME = 'vscode-notebook-cell';

export function schemeOf(uri: string): string {
  const m = /^([a-zA-Z][\w+.-]*):/.exec(uri);
  return m ? m[1].toLowerCase() : '';
}

/** The analyser path for a document URI: the file path for `file:`, the URI itself otherwise (untitled...). */
export function uriToPath(uri: string): string {
  if (schemeOf(uri) === 'file') {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

/** The URI of an analyser path: paths that are already URIs (untitled documents) are returned as they are. */
export function pathToUri(path: string): string {
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
