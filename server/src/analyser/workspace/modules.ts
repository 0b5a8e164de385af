// Modules by path (open documents' units, then files read from disk when first needed), import resolution, and the loader of the agent file a log_model call names.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { ModuleModel } from '../engine/program';
import type { CallArgs } from '../engine/values';
import { loggedFile } from '../obo/logsites';
import type { ProjectOptions } from '../project';
import { extractUnits } from '../sources/extract';
import type { Documents } from './documents';
import type { ParsedUnit, UnitParser } from './units';

export class Modules {
  /** Files read from disk (null: looked for and not found). */
  private readonly disk = new Map<string, ParsedUnit | null>();
  /** Import resolutions of the current run (a miss costs a file-system look-up per candidate). */
  private resolved = new Map<string, ModuleModel | undefined>();
  /** The `missesVersion` the misses were last looked for again at. */
  private missesChecked: number | undefined;

  constructor(
    private readonly documents: Documents,
    private readonly units: UnitParser,
    private readonly cat: CatalogIndex,
    private readonly options: ProjectOptions,
  ) {}

  /** A document was set or removed at `key`: the copy read from disk (or its miss) no longer stands. */
  forget(key: string): void {
    this.disk.delete(key);
  }

  /** Every module the project holds now: open documents' units, then files read from disk. */
  all(): ModuleModel[] {
    const mods: ModuleModel[] = [];
    this.documents.pushModules(mods);
    for (const v of this.disk.values()) {
      if (v) {
        mods.push(v.mod);
      }
    }
    return mods;
  }

  isDisk(m: ModuleModel): boolean {
    return this.disk.get(m.path)?.mod === m;
  }

  /** True when a file the last run looked for and did not find exists now. */
  missAppeared(): boolean {
    const version = this.options.missesVersion?.();
    if (version !== undefined && version === this.missesChecked) {
      return false;
    }
    this.missesChecked = version;
    for (const [k, v] of this.disk) {
      if (v === null && this.options.readFile?.(k) !== undefined) {
        return true;
      }
    }
    return false;
  }

  /** Before an interpretation: files read from disk may have changed, so misses and resolutions are looked up again. */
  newRun(): void {
    // (Parsed hits stay: watchers re-set changed files.)
    for (const [k, v] of this.disk) {
      if (v === null) {
        this.disk.delete(k);
      }
    }
    this.resolved = new Map();
  }

  /** `import x.y` / `from ..x import y` in `from`: the local module it names, if any. */
  resolveImport(from: ModuleModel, dotted: string, level: number): ModuleModel | undefined {
    const key = `${path.dirname(from.path)}|${level}|${dotted}`;
    if (this.resolved.has(key)) {
      const hit = this.resolved.get(key);
      return hit === from ? undefined : hit;
    }
    const found = this.resolveUncached(from, dotted, level);
    this.resolved.set(key, found);
    return found;
  }

  /** The agent file a `log_model(python_model=...)` call in `from` names, if it is another module. */
  resolveLogged(from: ModuleModel, logFunction: string, args: CallArgs): ModuleModel | undefined {
    const file = loggedFile(from.path, args, this.cat.logModelArg(logFunction));
    return file && file !== from.path ? this.byPath(path.normalize(file)) : undefined;
  }

  private resolveUncached(from: ModuleModel, dotted: string, level: number): ModuleModel | undefined {
    let base = path.dirname(from.path);
    for (let i = 1; i < level; i++) {
      base = path.dirname(base);
    }
    const rel = dotted ? dotted.split('.') : [];
    const stem = path.join(base, ...rel);
    const candidates = rel.length
      ? [`${stem}.py`, path.join(stem, '__init__.py')]
      : [path.join(base, '__init__.py')];
    for (const c of candidates) {
      const m = this.byPath(c);
      if (m) {
        return m;
      }
    }
    return undefined;
  }

  private byPath(p: string): ModuleModel | undefined {
    const open = this.documents.moduleAt(p);
    if (open) {
      return open;
    }
    const cached = this.disk.get(p);
    if (cached !== undefined) {
      return cached?.mod;
    }
    let text: string | undefined;
    try {
      text = this.options.readFile?.(p);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      this.disk.set(p, null);
      return undefined;
    }
    // Same normalisation as open documents (BOM, line endings); a notebook source's own code is its module.
    const unit = extractUnits({ path: p, text }).units.find((u) => u.path === p) ?? {
      path: p,
      origin: p,
      kind: 'file' as const,
      text,
    };
    const parsed = this.units.parse(unit);
    // A file read from disk is never edited incrementally (it becomes a document first): its tree can go.
    parsed.tree?.delete();
    parsed.tree = undefined;
    this.disk.set(p, parsed);
    return parsed.mod;
  }
}
