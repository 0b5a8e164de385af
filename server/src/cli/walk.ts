// Finds the files to lint under the given paths: .py/.ipynb only, skipping VCS, dependency, virtualenv, cache and gitignored folders.
import * as fs from 'fs';
import * as path from 'path';
import { matchRules, parseGitignore, type IgnoreFile } from './gitignore';

/** Folders that never hold the user's own agent code (installed packages live in site-packages). */
const SKIPPED_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  'site-packages',
  'dist-packages',
]);
const LINTED = /\.(?:py|ipynb)$/i;

export interface InputError {
  /** The path as the user gave it, or as found while walking. */
  path: string;
  message: string;
}

export interface WalkResult {
  /** Absolute paths, deduplicated, in a stable order (argument order, then sorted names). */
  files: string[];
  errors: InputError[];
}

/**
 * Files named on the command line are always taken (whatever their extension or ignore status); folders are
 * walked. Symbolic links to folders are not followed, so a link cycle or a link out of the tree cannot blow
 * up a walk; links to files are.
 */
export function findFiles(paths: readonly string[], cwd: string): WalkResult {
  const files = new Set<string>();
  const errors: InputError[] = [];
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      errors.push({ path: given, message: describeError(e) });
      continue;
    }
    if (stat.isDirectory()) {
      walk(abs, ancestorIgnores(abs), files, errors, true);
    } else {
      files.add(abs);
    }
  }
  return { files: [...files], errors };
}

function walk(
  dir: string,
  ignores: IgnoreFile[],
  files: Set<string>,
  errors: InputError[],
  root: boolean,
): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ path: dir, message: describeError(e) });
    return;
  }
  // A virtualenv may have any name; its pyvenv.cfg gives it away. A folder named on the command line is walked.
  if (!root && entries.some((e) => e.name === 'pyvenv.cfg' && !e.isDirectory())) {
    return;
  }
  if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
    const rules = readIgnoreFile(path.join(dir, '.gitignore'));
    if (rules.length) {
      ignores = [...ignores, { base: dir, rules }];
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !isIgnored(ignores, full, true)) {
        walk(full, ignores, files, errors, false);
      }
    } else if ((entry.isFile() || entry.isSymbolicLink()) && LINTED.test(entry.name)) {
      // A link to a folder named like a Python file is not followed; reading reports anything else.
      if (!isIgnored(ignores, full, false) && !(entry.isSymbolicLink() && isDirectory(full))) {
        files.add(full);
      }
    }
  }
}

function isIgnored(ignores: readonly IgnoreFile[], full: string, isDir: boolean): boolean {
  let ignored = false;
  for (const file of ignores) {
    const rel = path.relative(file.base, full).split(path.sep).join('/');
    const r = matchRules(file.rules, rel, isDir);
    if (r !== undefined) {
      ignored = r;
    }
  }
  return ignored;
}

/**
 * The .gitignore files above a walked folder, up to the repository root (the nearest folder holding `.git`),
 * plus `.git/info/exclude`. Outside a repository only the walked tree's own .gitignore files count.
 */
function ancestorIgnores(dir: string): IgnoreFile[] {
  const chain: string[] = [];
  let repoRoot: string | undefined;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (exists(path.join(d, '.git'))) {
      repoRoot = d;
      break;
    }
    if (path.dirname(d) === d) {
      break;
    }
  }
  if (exists(path.join(dir, '.git'))) {
    repoRoot = dir;
  }
  if (!repoRoot) {
    return [];
  }
  const ignores: IgnoreFile[] = [];
  const exclude = readIgnoreFile(path.join(repoRoot, '.git', 'info', 'exclude'));
  if (exclude.length) {
    ignores.push({ base: repoRoot, rules: exclude });
  }
  if (repoRoot === dir) {
    return ignores;
  }
  for (const d of chain.slice(chain.indexOf(repoRoot))) {
    const rules = readIgnoreFile(path.join(d, '.gitignore'));
    if (rules.length) {
      ignores.push({ base: d, rules });
    }
  }
  return ignores;
}

function readIgnoreFile(file: string): ReturnType<typeof parseGitignore> {
  try {
    return parseGitignore(fs.readFileSync(file, 'utf8'));
  } catch {
    // No such file, or unreadable: git itself ignores an unreadable .gitignore silently.
    return [];
  }
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** One line a user can act on, from a Node file-system error (no stack). */
export function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
