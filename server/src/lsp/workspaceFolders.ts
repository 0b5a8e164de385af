// The workspace folders the client opened, and which folder (and exclusion globs) a file belongs to.
import * as path from 'node:path';
import type { InitializeParams, WorkspaceFolder } from 'vscode-languageserver/node';
import { exclusionFor } from './workspaceIndexer';
import { uriToPath } from './uriPaths';

export interface FolderEntry {
  uri: string;
  path: string;
}

export class WorkspaceFolders {
  private folders: FolderEntry[] = [];
  private readonly exclusions = new Map<string, { key: string; test: (file: string) => boolean }>();

  /** The folders an `initialize` names: its workspace folders, else its root (an older client), else none. */
  setFrom(params: InitializeParams): void {
    if (Array.isArray(params.workspaceFolders) && params.workspaceFolders.length > 0) {
      this.set(params.workspaceFolders);
    } else {
      this.set(typeof params.rootUri === 'string' ? [{ uri: params.rootUri }] : []);
    }
  }

  set(folders: readonly Pick<WorkspaceFolder, 'uri'>[]): void {
    this.folders = folders
      .filter((f) => typeof f?.uri === 'string' && f.uri.startsWith('file:'))
      .map((f) => ({ uri: f.uri, path: uriToPath(f.uri) }));
  }

  add(
    added: readonly Pick<WorkspaceFolder, 'uri'>[],
    removed: readonly Pick<WorkspaceFolder, 'uri'>[],
  ): void {
    const gone = new Set(removed.map((f) => f.uri));
    const current = this.folders.filter((f) => !gone.has(f.uri));
    this.set([...current, ...added.filter((a) => !current.some((c) => c.uri === a.uri))]);
  }

  all(): readonly FolderEntry[] {
    return this.folders;
  }

  /** The innermost folder holding a file. */
  folderOf(filePath: string): FolderEntry | undefined {
    let best: FolderEntry | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f.path, filePath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.path.length > best.path.length)) {
        best = f;
      }
    }
    return best;
  }

  /** Is the file excluded by its folder's built-in skips or `oboAgents.exclude` globs? */
  isExcluded(filePath: string, globs: readonly string[]): boolean {
    const folder = this.folderOf(filePath);
    if (!folder) {
      return false;
    }
    const key = `${folder.path}\n${globs.join('\n')}`;
    let entry = this.exclusions.get(folder.path);
    if (!entry || entry.key !== key) {
      entry = { key, test: exclusionFor({ path: folder.path, exclude: globs }) };
      this.exclusions.set(folder.path, entry);
    }
    return entry.test(filePath);
  }
}
