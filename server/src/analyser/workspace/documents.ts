// The open documents: their text, their parsed units (reusing the last ones on an edit), which document holds which unit path, and which keep syntax trees.
import { addTo } from '../collections';
import type { ModuleModel } from '../engine/program';
import type { InputDocument } from '../model';
import type { TextChange } from '../project';
import type { Problems } from '../projects/findingsIndex';
import { extractUnits } from '../sources/extract';
import { nextText } from './changes';
import type { ParsedUnit, UnitParser } from './units';

export interface DocState {
  doc: InputDocument;
  units: ParsedUnit[];
  problems: { message: string; line?: number }[];
}

/** What setting or removing a document changed, for the scheduler. */
export interface DocumentChange {
  /** Paths (the document's, its units' before and after) whose meaning changed; none when it kept its meaning. */
  changed: readonly string[];
  /** Unit paths appeared or went away: modules that looked for one must look again. */
  unitsMoved: boolean;
}

/** Documents that keep their syntax tree for incremental parsing: more than anyone types in at once. */
const TREES_KEPT = 32;

const NOTHING: readonly string[] = [];

/** Documents by normalised path, in the order they were first set (the program order). */
export class Documents {
  private readonly docs = new Map<string, DocState>();
  /** Unit path → the documents holding a unit of that path (a file, or a notebook's %%writefile target). */
  private readonly unitOwners = new Map<string, Set<string>>();
  /** Documents whose trees are kept, least recently set first. */
  private readonly recentTrees = new Set<string>();

  constructor(private readonly units: UnitParser) {}

  has(key: string): boolean {
    return this.docs.has(key);
  }

  get(key: string): DocState | undefined {
    return this.docs.get(key);
  }

  values(): IterableIterator<DocState> {
    return this.docs.values();
  }

  /**
   * Sets a document: its next text, its units, and each unit's module, parsed incrementally from the last tree when
   * the changes allow (a `.py` file before and after).
   */
  set(key: string, doc: InputDocument, changes?: TextChange[]): DocumentChange {
    const prev = this.docs.get(key);
    const { text, edits } = nextText(prev?.doc, doc, changes);
    const next: InputDocument = { ...doc, path: key, text };
    const { units, problems } = extractUnits(next);
    // (A document set long ago has no tree left: it is parsed afresh.)
    const was = prev?.units.length === 1 && prev.units[0].unit.kind === 'file' ? prev.units[0] : undefined;
    const first =
      edits && was?.tree && units.length === 1 && units[0].kind === 'file'
        ? this.units.reparse(units[0], was, was.tree, edits)
        : undefined;
    const parsed = units.map((u, i) => (i === 0 && first) || this.units.parse(u));
    for (const u of parsed) {
      if (u.problem) {
        problems.push({ message: u.problem, line: u.unit.lines?.[0]?.line ?? 0 });
      }
    }
    const built: DocState = { doc: next, units: parsed, problems };
    this.docs.set(key, built);
    this.ownUnits(key, prev, built);
    this.keepTrees(key);
    // A file (or a notebook's %%writefile file) appeared or went: modules that looked for it before must look again.
    const paths = (state: DocState | undefined) => (state?.units ?? []).map((u) => u.unit.path).join('\n');
    const unitsMoved = !prev || paths(prev) !== paths(built);
    // An edit that left the module's meaning intact (a comment, a blank line) keeps the last interpretation.
    const changed =
      !prev?.units[0] || parsed.length !== 1 || !parsed[0].kept
        ? [key, ...(prev?.units ?? []).map((u) => u.unit.path), ...parsed.map((u) => u.unit.path)]
        : NOTHING;
    disposeTrees(prev);
    return { changed, unitsMoved };
  }

  remove(key: string): DocumentChange {
    const prev = this.docs.get(key);
    disposeTrees(prev);
    this.docs.delete(key);
    this.ownUnits(key, prev, undefined);
    this.recentTrees.delete(key);
    return { changed: [key, ...(prev?.units ?? []).map((u) => u.unit.path)], unitsMoved: true };
  }

  /** The module of unit path `p` in an open document; when several documents hold it, the first in order. */
  moduleAt(p: string): ModuleModel | undefined {
    const owners = this.unitOwners.get(p);
    if (owners?.size === 1) {
      const [key] = owners;
      return this.docs.get(key)?.units.find((u) => u.unit.path === p)?.mod;
    }
    if (owners) {
      // (The first one in document order, as before the index.)
      for (const state of this.docs.values()) {
        for (const u of state.units) {
          if (u.unit.path === p) {
            return u.mod;
          }
        }
      }
    }
    return undefined;
  }

  /** Appends every document's modules, in program order. */
  pushModules(out: ModuleModel[]): void {
    for (const state of this.docs.values()) {
      for (const u of state.units) {
        out.push(u.mod);
      }
    }
  }

  /** Documents in program order with what made them unanalysable (a new array when a document changed). */
  problems(): { path: string; problems: Problems }[] {
    return [...this.docs.values()].map((state) => ({ path: state.doc.path, problems: state.problems }));
  }

  private ownUnits(key: string, prev: DocState | undefined, next: DocState | undefined): void {
    for (const u of prev?.units ?? []) {
      const owners = this.unitOwners.get(u.unit.path);
      owners?.delete(key);
      if (owners?.size === 0) {
        this.unitOwners.delete(u.unit.path);
      }
    }
    for (const u of next?.units ?? []) {
      addTo(this.unitOwners, u.unit.path, key);
    }
  }

  /**
   * Keeps the syntax trees of the documents set most recently (those being typed in) and frees the others': an
   * indexed workspace would otherwise hold a tree for every file in tree-sitter's memory, which never shrinks.
   */
  private keepTrees(key: string): void {
    this.recentTrees.delete(key);
    this.recentTrees.add(key);
    for (const old of this.recentTrees) {
      if (this.recentTrees.size <= TREES_KEPT) {
        break;
      }
      this.recentTrees.delete(old);
      for (const u of this.docs.get(old)?.units ?? []) {
        u.tree?.delete();
        u.tree = undefined;
      }
    }
  }
}

function disposeTrees(state: DocState | undefined): void {
  for (const u of state?.units ?? []) {
    u.tree?.delete();
  }
}
