// The analyser's public data model: the findings (shared with the client) and the analyser's inputs.
export type {
  Finding,
  Fix,
  Location,
  Position,
  Range,
  RelatedInfo,
  RuleCode,
  Severity,
  TextEdit,
} from '../../../shared/findings';

/** A notebook cell handed to the analyser (from a .ipynb file or the LSP's notebook document sync). */
export interface InputCell {
  kind: 'code' | 'markup';
  source: string;
  /** Cell language when known (`python`, `sql`, `markdown`...). Non-Python code cells are skipped. */
  language?: string;
}

/**
 * A document given to the analyser: a `.py` file (text), a Databricks notebook source (text starting with
 * `# Databricks notebook source`), a Jupyter notebook as raw JSON text, or a notebook as cells.
 */
export interface InputDocument {
  path: string;
  text?: string;
  cells?: InputCell[];
}
