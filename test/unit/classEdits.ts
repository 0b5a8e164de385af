// Helpers for the tests of edits inside classes: a large class's filler, changes applied to our copy, the kept module.
import type { ClassInfo, ModuleModel } from '../../server/src/analyser/engine/program';
import type { Project, TextChange } from '../../server/src/analyser/project';
import { offsetOf } from './helpers';

export const FILE = '/proj/agent.py';

/** Plain methods that make the class large: a keystroke in a large class reuses its untouched statements. */
export const FILLERS = Array.from({ length: 50 }, (_, i) =>
  [`    def filler_${i}(self, text):`, `        return [p.strip() for p in text.split(",")][${i}:]`, ''].join(
    '\n',
  ),
).join('\n');

/** The change that takes `change` back, on the text it applies to. */
export function inverse(text: string, change: TextChange): TextChange {
  const range = change.range as NonNullable<TextChange['range']>;
  const inserted = change.text.split('\n');
  const end = {
    line: range.start.line + inserted.length - 1,
    character: (inserted.length === 1 ? range.start.character : 0) + inserted[inserted.length - 1].length,
  };
  return {
    range: { start: range.start, end },
    text: text.slice(offsetOf(text, range.start), offsetOf(text, range.end)),
  };
}

/** The text after `change`. */
export function applyTo(text: string, change: TextChange): string {
  const range = change.range as NonNullable<TextChange['range']>;
  return text.slice(0, offsetOf(text, range.start)) + change.text + text.slice(offsetOf(text, range.end));
}

/** The module the project keeps an interpreter for (internal). */
export function keptModule(project: Project): ModuleModel | undefined {
  const kept = (project as unknown as { scheduler?: { interpretation?: { kept?: { mod: ModuleModel } } } })
    .scheduler?.interpretation?.kept;
  return kept?.mod;
}

export function keptClasses(project: Project): ClassInfo[] {
  return keptModule(project)?.classes ?? [];
}

export function endOf(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
