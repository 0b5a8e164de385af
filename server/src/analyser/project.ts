// The analyser's entry point: a set of documents, analysed together so log sites link to agent files across files.
import type { Catalog } from '../catalog/types';
import type { Finding, InputDocument, Location, Position, TextEdit } from './model';
import type { AgentReport } from '../../../shared/reports';

/** An LSP-style content change; without `range` it replaces the whole text. */
export interface TextChange {
  range?: { start: Position; end: Position };
  text: string;
}

export interface ProjectOptions {
  /** The catalog to use (the built-in one, possibly extended by settings / pyproject). */
  catalog?: Catalog;
  /**
   * Reads a file that is not open, when an agent imports a sibling module or a log site names an agent file.
   * Returns undefined when the file does not exist. Never executes anything.
   */
  readFile?: (path: string) => string | undefined;
  /**
   * When given, a number that changes whenever `readFile` may now find a path it did not find before (the host
   * watches the disk). Files looked for and not found are then looked for again only after it changes, not on every
   * analysis; undefined (or no function) means "cannot tell", and every analysis looks again.
   */
  missesVersion?: () => number | undefined;
  /** Analysis of one unit stops after this many milliseconds with an OBO100 note (default 2000). */
  timeBudgetMs?: number;
}

/** Hover text for a position: markdown plus the range it applies to. */
export interface Description {
  location: Location;
  markdown: string;
}

/** What completion can offer at a position. */
export interface CompletionContext {
  kind: 'scope' | 'resource';
  /** Scopes needed but not declared, first in the list. */
  missing: string[];
  /** Already declared ones, to leave out. */
  declared: string[];
  /** The range of the partially typed string (inside the quotes), when inside one. */
  replace?: Location;
  /**
   * For a resource list: the edit that imports each catalog resource class, placed as the fixes place imports
   * (extending an existing `from … import`); a class already imported has no entry.
   */
  imports?: Record<string, TextEdit>;
}

export interface Project {
  setDocument(doc: InputDocument, changes?: TextChange[]): void;
  removeDocument(path: string): void;
  hasDocument(path: string): boolean;
  /** Findings per real file, for every file analysed. */
  findings(): Map<string, Finding[]>;
  /** Findings of one real file. */
  findingsFor(path: string): Finding[];
  /** Files whose findings may change when `path` changes (agent ↔ log sites, importers). */
  dependents(path: string): string[];
  agentReports(): AgentReport[];
  describeAt(file: string, position: Position, cell?: number): Description | undefined;
  completionAt(file: string, position: Position, cell?: number): CompletionContext | undefined;
}
