// The findings as every half sees them (analyser, language server, CLI, client): positions, locations, fixes. No LSP types.
import type { RuleCode } from './rules';

/** Zero-based line and UTF-16 column, the same convention as LSP so the server can pass them through. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * A place in a real file on disk. For a Jupyter notebook, `cell` is the 0-based index of the cell among
 * all cells (markdown included) and `range` counts lines within that cell.
 */
export interface Location {
  file: string;
  range: Range;
  cell?: number;
}

/** One text replacement in a real file (or notebook cell). */
export interface TextEdit {
  location: Location;
  newText: string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The rule codes, one per row of the rule table (`shared/rules.ts`). */
export type { RuleCode };

/** A ready-made fix: the code-action layer applies it as is, without re-analysing. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are offered as preferred and applied by fix-all. */
  safe: boolean;
}

export interface RelatedInfo {
  location: Location;
  message: string;
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  location: Location;
  related?: RelatedInfo[];
  fixes?: Fix[];
  /** Rule-specific facts a client may show (the scopes involved, the agent file...). JSON-serialisable. */
  details?: Record<string, unknown>;
  /** Marks code that is dead weight (an unused scope); clients render it faded. */
  unnecessary?: boolean;
}
