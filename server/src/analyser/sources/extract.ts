// PLACEHOLDER (to be replaced by the notebook work): turns an input document into Python units.
import type { InputDocument } from '../model';
import type { PythonUnit } from './unit';

export interface ExtractResult {
  units: PythonUnit[];
  /** Problems with the container itself (malformed notebook JSON...), reported at information level. */
  problems: { message: string; line?: number }[];
}

export function extractUnits(doc: InputDocument): ExtractResult {
  return { units: [{ path: doc.path, origin: doc.path, kind: 'file', text: doc.text ?? '' }], problems: [] };
}
