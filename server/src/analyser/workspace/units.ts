// A Python unit → its module: a fresh parse, or an incremental reparse of the edited last tree that keeps unchanged statements (and the whole module after blank-line edits).
import * as path from 'path';
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import { indexModule, type ModuleModel } from '../engine/program';
import { linesAround, parse, parseableText, type AppliedChange } from '../python/parser';
import {
  convertTreeReusing,
  insideSensitive,
  moveAroundBlankEdit,
  shiftOf,
  type ShiftInfo,
} from '../python/reuse';
import { reparseStatements } from '../python/statements';
import { convertTree, emptyModule } from '../python/tree';
import { lineStartAt } from '../sources/text';
import type { PythonUnit } from '../sources/unit';

export interface ParsedUnit {
  unit: PythonUnit;
  /** Kept only for recently set documents, the ones the next change may edit incrementally (wasm memory). */
  tree?: Tree;
  mod: ModuleModel;
  /** The text the tree was parsed from (comment-only lines blanked). */
  parsed: string;
  /** Set when an incremental parse found the module unchanged in meaning (its interpretation still holds). */
  kept?: boolean;
  /** Why the unit could not be analysed (parse budget, nesting), reported as OBO100. */
  problem?: string;
}

/** What an incremental parse may keep from the unit it replaces. */
interface Reuse {
  was: ParsedUnit;
  shift: ShiftInfo;
}

const BLANK = /^[ \t\n]*$/;

export class UnitParser {
  constructor(
    private readonly parser: Parser,
    private readonly budgetMs: number,
  ) {}

  /** A unit parsed afresh. */
  parse(unit: PythonUnit): ParsedUnit {
    return this.parseUnit(unit);
  }

  /**
   * A unit that `edits` lead to from `was` and its tree `last`: a copy of `last` takes the edits, so
   * tree-sitter reparses only what moved; one edit also lets the unchanged statements be reused.
   */
  reparse(unit: PythonUnit, was: ParsedUnit, last: Tree, edits: AppliedChange[]): ParsedUnit {
    const tree = last.copy();
    for (const a of edits) {
      tree.edit(new Edit(a));
    }
    const a = edits.length === 1 ? edits[0] : undefined;
    const shift = a && shiftOf(a);
    return this.parseUnit(unit, tree, shift && { was, shift });
  }

  private parseUnit(unit: PythonUnit, old?: Tree, reuse?: Reuse): ParsedUnit {
    const budget = this.budgetMs;
    const started = Date.now();
    const parsed = parseableText(unit.text);
    if (old && reuse && onlyBlankLines(reuse, parsed)) {
      // tree-sitter-python reparses a lot after an edit to a blank line (typing a comment or indenting a new line),
      // yet nothing changed but positions: keep the edited tree unparsed (the next parse takes up its edits) and
      // move the nodes, so the module and its interpretation stay.
      moveAroundBlankEdit(reuse.was.mod.root, reuse.shift, unit.text);
      const mod = keepModule(reuse.was.mod, unit);
      mod.prepMs = Date.now() - started;
      return { unit, tree: old, mod, parsed, kept: true };
    }
    // Most keystrokes change one statement: parse its lines alone, leaving the tree edited for the next full parse.
    const lines =
      old && reuse && !reuse.was.problem
        ? reparseStatements(
            this.parser,
            reuse.was.mod.root,
            reuse.shift,
            { old: reuse.was.parsed, new: parsed },
            budget,
          )
        : undefined;
    let tree = lines ? old : parse(this.parser, parsed, old, budget);
    let problem: string | undefined;
    if (!tree) {
      problem = `${path.basename(unit.path)} takes longer than its time budget (${budget} ms) to parse: it is not analysed.`;
      tree = parse(this.parser, '') as Tree;
      old?.delete();
      old = undefined;
    }
    let mod: ModuleModel;
    let kept = false;
    try {
      const root =
        lines ??
        (old && reuse
          ? convertTreeReusing(tree, tree.getChangedRanges(old), reuse.was.mod.root, reuse.shift, {
              old: reuse.was.parsed,
              new: parsed,
            })
          : convertTree(tree));
      if (reuse && root === reuse.was.mod.root) {
        // Same statements, moved: the module keeps its index (and values pointing at it), with the new text.
        mod = keepModule(reuse.was.mod, unit);
        kept = true;
      } else {
        mod = indexModule(unit, root, reuse?.was.mod);
      }
    } catch (e) {
      if (!(e instanceof RangeError)) {
        throw e;
      }
      // Thousands of nested brackets overflow the recursive passes: keep the file, analyse nothing in it.
      problem = `${path.basename(unit.path)} nests expressions too deeply to analyse.`;
      mod = indexModule(unit, emptyModule());
    }
    if (!lines) {
      old?.delete();
    }
    mod.prepMs = Date.now() - started;
    return { unit, tree, mod, parsed, problem, kept };
  }
}

/**
 * True when an edit changed only blank lines (comment-only lines are blank in the parsed text), outside strings and
 * error nodes and not after a backslash continuation: Python reads the file exactly as before.
 */
function onlyBlankLines(reuse: Reuse, parsed: string): boolean {
  const { startIndex, oldEndIndex, newEndIndex } = reuse.shift;
  const before = reuse.was.parsed;
  const lineStart = lineStartAt(before, startIndex);
  return (
    !reuse.was.problem &&
    BLANK.test(linesAround(before, startIndex, oldEndIndex)) &&
    BLANK.test(linesAround(parsed, startIndex, newEndIndex)) &&
    !/\\[ \t]*$/.test(before.slice(Math.max(0, lineStart - 200), Math.max(0, lineStart - 1))) &&
    !insideSensitive(reuse.was.mod.root, startIndex, oldEndIndex)
  );
}

/** A module whose code still means the same: it keeps its index and interpretation and takes the new text. */
function keepModule(mod: ModuleModel, unit: PythonUnit): ModuleModel {
  mod.src = unit.text;
  mod.unit = unit;
  return mod;
}
