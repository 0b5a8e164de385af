// Where things are in the real files: a module index to a position, a syntax site to a location (cells, # MAGIC lines).
import type { Location, Position } from '../model';
import type { ModuleModel } from './program';
import type { Site } from './values';
import { rangeOf } from '../python/tree';
import { lineAt, type LineStarts, lineStartsOf } from '../sources/text';
import { toRealLocation } from '../sources/unit';

/** Line starts per module, for the text they were computed from (an edit to a comment keeps the module). */
const lineStartsCache = new WeakMap<ModuleModel, { src: string; starts: LineStarts }>();

/** Offsets where each line of the module's text starts. */
export function lineStarts(mod: ModuleModel): LineStarts {
  const cached = lineStartsCache.get(mod);
  if (cached?.src === mod.src) {
    return cached.starts;
  }
  // (An edited text's line starts come from the edit: see lineStartsAfter.)
  const starts = lineStartsOf(mod.src);
  lineStartsCache.set(mod, { src: mod.src, starts });
  return starts;
}

/** Zero-based line and UTF-16 column of a text index in the module's (unit's) text. */
export function posOf(mod: ModuleModel, index: number): Position {
  const starts = lineStarts(mod);
  const line = lineAt(starts, index);
  return { line, character: index - starts[line] };
}

/** Where a syntax site is in the real file (a notebook's cell, the line behind a `# MAGIC` prefix). */
export function locOf(site: Site): Location {
  return toRealLocation(site.mod.unit, rangeOf(site.node));
}
