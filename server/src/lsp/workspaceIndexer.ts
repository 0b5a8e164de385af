// Walks the workspace folders once at start: a text prefilter picks the files worth analysing, the rest stay on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlobs } from './globMatcher';

/** Folders never worth walking: VCS data, dependencies, virtualenvs, caches. */
const SKIPPED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.ipynb_checkpoints',
  '.vscode-test',
]);

const SOURCE_EXTENSIONS = new Set(['.py', '.ipynb']);
const MAX_BYTES = 8 * 1024 * 1024;

export interface IndexFolder {
  path: string;
  exclude: readonly string[];
}

export interface IndexProgress {
  scanned: number;
  total: number;
  matched: number;
}

export interface IndexCallbacks {
  /** The prefilter: does this text deserve the analyser? */
  matters(text: string): boolean;
  /** Called for each file whose text may matter; the caller hands it to the analyser. */
  onFile(filePath: string, text: string): void;
  onProgress?(progress: IndexProgress): void;
  isCancelled?(): boolean;
}

export function isSourceFile(filePath: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(filePath).toLowerCase());
}

/** A predicate telling whether a file of a folder is excluded (built-in folders plus `oboAgents.exclude`). */
export function exclusionFor(folder: IndexFolder): (filePath: string) => boolean {
  const matches = compileGlobs(folder.exclude);
  return (filePath) => {
    const rel = path.relative(folder.path, filePath);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      return false;
    }
    const parts = rel.split(path.sep);
    if (parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p))) {
      return true;
    }
    return matches(parts.join('/'));
  };
}

/** Lists the Python files and notebooks under the folders, skipping excluded and virtualenv folders. */
export async function listSources(
  folders: readonly IndexFolder[],
  isCancelled?: () => boolean,
): Promise<string[]> {
  const out: string[] = [];
  for (const folder of folders) {
    const excluded = compileGlobs(folder.exclude);
    const stack = [folder.path];
    while (stack.length > 0) {
      if (isCancelled?.()) {
        return out;
      }
      const dir = stack.pop() as string;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      // A virtualenv without a conventional name still has its marker file.
      if (dir !== folder.path && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) {
        continue;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        const rel = path.relative(folder.path, full).split(path.sep).join('/');
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name) && !excluded(rel)) {
            stack.push(full);
          }
        } else if (entry.isFile() && isSourceFile(entry.name) && !excluded(rel)) {
          out.push(full);
        }
      }
    }
  }
  return out;
}

/**
 * Reads the listed files and reports those the prefilter keeps. Reads are synchronous, in slices of a few
 * milliseconds between which other messages are handled: small local files read faster that way than through the
 * thread pool's promises (five calls per file), on machines with few cores most of all.
 */
export async function indexSources(files: readonly string[], callbacks: IndexCallbacks): Promise<number> {
  let scanned = 0;
  let matched = 0;
  let sliceStart = performance.now();
  for (const file of files) {
    if (callbacks.isCancelled?.()) {
      break;
    }
    const text = readSmall(file);
    scanned++;
    if (text !== undefined && callbacks.matters(text)) {
      matched++;
      callbacks.onFile(file, text);
    }
    if (scanned % 200 === 0) {
      callbacks.onProgress?.({ scanned, total: files.length, matched });
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  callbacks.onProgress?.({ scanned, total: files.length, matched });
  return matched;
}

/** How long the index reads before letting other messages through. */
const SLICE_MS = 10;

/** One options object for every read: given the string 'utf8', Node builds a new one per call (10,000 in an index). */
const UTF8 = { encoding: 'utf8' } as const;

function readSmall(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > MAX_BYTES) {
      return undefined;
    }
    return fs.readFileSync(fd, UTF8);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}
