// Owns the analyser project: feeds it open buffers, notebooks and indexed files, and says which files a change affects.
import * as fs from 'node:fs';
import { basename, dirname, sep as pathSep } from 'node:path';
import type { InputDocument } from '../analyser/model';
import type { Project } from '../analyser/project';
import type { Catalog } from '../catalog/types';
import { catalogWith, mayMatter, openProject } from './analyserBridge';
import type { TextDocumentStore } from './documentStore';
import { NotebookStore } from './notebookStore';
import { SafeProject } from './safeProject';
import type { ServerLogger } from './serverLogger';

/** Files larger than this are not read from disk (generated data, not code anyone writes by hand). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface SyncResult {
  /** Paths whose content was given to the analyser. */
  changed: Set<string>;
  /** Other paths whose findings may have moved because of those changes (before and after the change). */
  affected: Set<string>;
}

export class ProjectHost {
  private safe: SafeProject | undefined;
  private catalogKey = '{}';
  /** The user catalog entries in effect (`oboAgents.catalog.extra`, merged over folders). */
  catalogExtra: Record<string, unknown> = {};
  private catalogValue: Catalog | undefined;
  /** Files given to the analyser from disk (the index, watched-file events). */
  readonly indexed = new Set<string>();
  /** Analyser paths of open documents, to re-add them after a rebuild. */
  private readonly openPaths = new Set<string>();
  /**
   * Paths the analyser asked for that do not exist (`json.py` for `import json`...). It asks again on every
   * analysis, so misses are remembered while file events tell us about creations.
   */
  private readonly missing = new Set<string>();
  /** Set once the client watches files for us; without events, a miss could hide a file created later. */
  cacheMisses = false;
  /**
   * Directory listings, while file events keep them fresh: most files the analyser looks for (`databricks/sdk.py`
   * beside every agent) are in folders that do not exist, and one listing answers for every name in a folder.
   */
  private readonly listed = new DirectoryListings();
  /** Counts the times `missing` was forgotten (files appeared on disk), so the analyser re-checks misses only then. */
  private missesForgotten = 0;

  constructor(
    private readonly texts: TextDocumentStore,
    private readonly notebooks: NotebookStore,
    private readonly logger: ServerLogger,
    readonly timeBudgetMs: number,
  ) {}

  async start(): Promise<void> {
    this.safe = await this.create(this.catalog);
  }

  get ready(): boolean {
    return this.safe !== undefined;
  }

  get project(): SafeProject {
    if (!this.safe) {
      throw new Error('The analyser is not loaded yet');
    }
    return this.safe;
  }

  /** The prefilter for the catalog in effect: a file mentioning an in-house wrapper matters too. */
  matters(text: string): boolean {
    return mayMatter(text, this.catalog);
  }

  get catalog(): Catalog {
    this.catalogValue ??= catalogWith({}).catalog;
    return this.catalogValue;
  }

  /**
   * Applies user catalog entries. Returns true when the catalog changed, in which case the project was rebuilt
   * from the open documents and the indexed files.
   */
  async setCatalogExtra(extra: Record<string, unknown>): Promise<boolean> {
    const key = JSON.stringify(extra);
    if (key === this.catalogKey) {
      return false;
    }
    let catalog: Catalog;
    try {
      const extended = catalogWith(extra);
      catalog = extended.catalog;
      for (const problem of extended.problems) {
        this.logger.once(`catalog:${problem}`, 'warn', `oboAgents.catalog.extra: ${problem}`);
      }
    } catch (error) {
      this.logger.once(
        `catalog:${key}`,
        'warn',
        'oboAgents.catalog.extra is not a valid catalog extension; ignoring it',
        error,
      );
      catalog = catalogWith({}).catalog;
    }
    this.catalogKey = key;
    this.catalogExtra = extra;
    this.catalogValue = catalog;
    this.safe = await this.create(catalog);
    for (const path of this.indexed) {
      this.setFromDisk(path);
    }
    for (const entry of this.texts.all()) {
      entry.pending = 'full';
    }
    for (const nb of this.notebooks.all()) {
      nb.dirty = true;
    }
    this.sync();
    return true;
  }

  /** Reads a file the analyser asks for: the open buffer when there is one, else the disk (never executes). */
  readFile = (path: string): string | undefined => {
    const open = this.texts.getByPath(path);
    if (open) {
      return open.doc.getText();
    }
    if (this.missing.has(path) || (this.cacheMisses && !this.listed.mayExist(path))) {
      return undefined;
    }
    const text = readDisk(path);
    if (text === undefined && this.cacheMisses) {
      this.missing.add(path);
    }
    return text;
  };

  /**
   * Gives every pending buffer change and dirty notebook to the analyser. Dependents are read once before and
   * once after all the changes: each read after a change costs a full analysis.
   */
  sync(): SyncResult {
    const result: SyncResult = { changed: new Set(), affected: new Set() };
    if (!this.safe) {
      return result;
    }
    const project = this.safe;
    const updates: { path: string; apply: () => void }[] = [];
    for (const entry of this.texts.all()) {
      const pending = this.texts.takePending(entry);
      if (pending !== undefined) {
        const doc: InputDocument = { path: entry.path, text: entry.doc.getText() };
        updates.push({
          path: entry.path,
          apply: () => project.setDocument(doc, pending === 'full' ? undefined : pending),
        });
      }
    }
    for (const nb of this.notebooks.all()) {
      if (nb.dirty) {
        nb.dirty = false;
        const doc: InputDocument = { path: nb.path, cells: NotebookStore.toInputCells(nb) };
        updates.push({ path: nb.path, apply: () => project.setDocument(doc) });
      }
    }
    if (updates.length === 0) {
      return result;
    }
    const collect = () => {
      for (const u of updates) {
        for (const d of project.dependents(u.path)) {
          result.affected.add(d);
        }
      }
    };
    collect();
    for (const u of updates) {
      this.openPaths.add(u.path);
      u.apply();
      result.changed.add(u.path);
    }
    collect();
    for (const path of result.changed) {
      result.affected.delete(path);
    }
    return result;
  }

  /** Applies disk changes (watched files) in one batch, returning the files they touch. */
  applyDiskChanges(changes: readonly { path: string; deleted: boolean }[]): Set<string> {
    const touched = new Set<string>();
    if (changes.length > 0) {
      this.missing.clear();
      this.listed.clear();
      this.missesForgotten++;
    }
    if (!this.safe || changes.length === 0) {
      return touched;
    }
    const project = this.safe;
    const collect = () => {
      for (const c of changes) {
        for (const d of project.dependents(c.path)) {
          touched.add(d);
        }
      }
    };
    collect();
    for (const c of changes) {
      if (c.deleted) {
        // A deleted folder takes every indexed file below it along.
        for (const indexed of [...this.indexed]) {
          if (indexed === c.path || indexed.startsWith(c.path + pathSep)) {
            this.removePath(indexed);
            touched.add(indexed);
          }
        }
      } else {
        this.setFromDisk(c.path, undefined, false);
        touched.add(c.path);
      }
    }
    collect();
    return touched;
  }

  /** A document was closed: fall back to the file on disk if it matters, else forget it. */
  closed(path: string): SyncResult {
    this.openPaths.delete(path);
    const affected = new Set(this.safe?.dependents(path) ?? []);
    if (this.indexed.has(path) || this.safe?.hasDocument(path)) {
      this.setFromDisk(path);
    }
    for (const d of this.safe?.dependents(path) ?? []) {
      affected.add(d);
    }
    return { changed: new Set([path]), affected };
  }

  /**
   * (Re)reads a file from disk into the project when it may matter (or others depend on it); removes it when
   * it is gone. Open documents are left alone: their buffer wins over the disk.
   */
  setFromDisk(path: string, text?: string, askDependents = true): void {
    if (!this.safe || this.openPaths.has(path)) {
      return;
    }
    const content = text ?? readDisk(path);
    if (content === undefined) {
      this.removePath(path);
      return;
    }
    // A file that doesn't look like OBO code still matters when an analysed file imports it.
    if (
      this.matters(content) ||
      this.safe.hasDocument(path) ||
      (askDependents && this.safe.dependents(path).length > 0)
    ) {
      this.safe.setDocument({ path, text: content });
      this.indexed.add(path);
    } else {
      this.removePath(path);
    }
  }

  removePath(path: string): void {
    this.indexed.delete(path);
    if (this.safe && !this.openPaths.has(path) && this.safe.hasDocument(path)) {
      this.safe.removeDocument(path);
    }
  }

  /** Forgets every file read from disk, before a fresh index (settings changed what to include). */
  resetIndex(): void {
    for (const path of [...this.indexed]) {
      this.removePath(path);
    }
  }

  /** Every path the analyser holds, for the per-file fallback of workspace findings. */
  knownPaths(): Set<string> {
    return new Set([...this.indexed, ...this.openPaths]);
  }

  private async create(catalog: Catalog): Promise<SafeProject> {
    const project: Project = await openProject({
      catalog,
      readFile: this.readFile,
      // Without file events a miss may hide a file created since: the analyser must look again every time.
      missesVersion: () => (this.cacheMisses ? this.missesForgotten : undefined),
      timeBudgetMs: this.timeBudgetMs,
    });
    return new SafeProject(project, this.logger, this.timeBudgetMs);
  }
}

/** Which names each folder holds, read once per folder; a folder missing from its parent is not read at all. */
class DirectoryListings {
  private readonly names = new Map<string, Set<string> | null>();

  /** False when the file certainly does not exist (its folder lacks it); true when it must be read to know. */
  mayExist(file: string): boolean {
    return this.of(dirname(file))?.has(foldCase(basename(file))) ?? false;
  }

  clear(): void {
    this.names.clear();
  }

  private of(dir: string): Set<string> | null {
    const hit = this.names.get(dir);
    if (hit !== undefined) {
      return hit;
    }
    const parent = dirname(dir);
    const up = parent === dir ? undefined : this.of(parent);
    let names: Set<string> | null = null;
    if (up !== null && (up === undefined || up.has(foldCase(basename(dir))))) {
      try {
        names = new Set(fs.readdirSync(dir).map(foldCase));
      } catch {
        names = null;
      }
    }
    this.names.set(dir, names);
    return names;
  }
}

/** Names as the file system compares them: Windows and macOS volumes usually ignore case. */
const foldCase =
  process.platform === 'win32' || process.platform === 'darwin'
    ? (name: string) => name.toLowerCase()
    : (name: string) => name;

function readDisk(path: string): string | undefined {
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) {
      return undefined;
    }
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
