// The built-in catalog: every OBO fact the analyser knows, as table rows (sources: shared docs, obo-facts.md §1–§8).
// Each table lives in data/, named for what it holds; this file only assembles them.
import type { Catalog } from './types';
import { SCOPES } from './data/scopes';
import { CLIENTS } from './data/clients';
import { CONSUMERS } from './data/consumers';
import { METHODS } from './data/methods';
import { MLFLOW } from './data/mlflow';

export const BUILTIN_CATALOG: Catalog = {
  ...SCOPES,
  ...CLIENTS,
  ...CONSUMERS,
  ...METHODS,
  ...MLFLOW,
};
