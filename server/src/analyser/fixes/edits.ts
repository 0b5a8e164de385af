// Builds text edits in the author's style (quotes, one-per-line or inline, trailing commas) and maps them to real files.
import type { TextEdit } from '../model';
import type { ModuleModel } from '../engine/program';
import type { Site } from '../engine/values';
import { lineStarts, posOf } from '../engine/locations';
import { toRealLocation } from '../sources/unit';
import { lineStartAt } from '../sources/text';
import { child, type PyNode, textOf } from '../python/tree';

/** The text a unit line carries in front of it in the real file (`# MAGIC `), added to new lines. */
function linePrefix(mod: ModuleModel, line: number): string {
  const origin = mod.unit.lines?.[line];
  return origin && origin.column > 0 ? '# MAGIC '.slice(0, origin.column) : '';
}

/** Replaces [start, end) of a module's text; new lines get the real file's line prefix. */
export function edit(mod: ModuleModel, start: number, end: number, text: string): TextEdit {
  const s = posOf(mod, start);
  const e = posOf(mod, end);
  const prefix = linePrefix(mod, s.line);
  const newText = prefix ? text.replace(/\n/g, `\n${prefix}`) : text;
  return { location: toRealLocation(mod.unit, { start: s, end: e }), newText };
}

function indentOfLine(mod: ModuleModel, index: number): string {
  const starts = lineStarts(mod);
  const line = posOf(mod, index).line;
  const from = starts[line];
  return /^[ \t]*/.exec(mod.src.slice(from))?.[0] ?? '';
}

/** The quote character the list (or file) uses for strings. */
export function quoteOf(mod: ModuleModel, list: PyNode | undefined): string {
  const sample = list?.children.find((c) => c.type === 'string');
  const text = sample ? textOf(mod.src, sample) : '';
  const m = /^[a-zA-Z]*(['"])/.exec(text);
  if (m) {
    return m[1];
  }
  return fileQuote(mod.src);
}

/** The last file's preferred quote: a keystroke elsewhere rebuilds the fix of an unchanged file's empty list. */
let lastQuote: { src: string; quote: string } | undefined;

function fileQuote(src: string): string {
  if (lastQuote?.src !== src) {
    const dq = (src.match(/"/g) ?? []).length;
    const sq = (src.match(/'/g) ?? []).length;
    lastQuote = { src, quote: sq > dq ? "'" : '"' };
  }
  return lastQuote.quote;
}

/** The index of the first character from `i` that is not whitespace or part of a `#` comment (at most `end`). */
function skipTrivia(src: string, i: number, end: number): number {
  while (i < end) {
    if (src[i] === '#') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? end : nl;
    } else if (/\s/.test(src[i])) {
      i++;
    } else {
      break;
    }
  }
  return Math.min(i, end);
}

/** The index of a comma that comes next after `i` (comments skipped, so a comma inside one does not count), or -1. */
function commaAfter(src: string, i: number, end: number): number {
  const j = skipTrivia(src, i, end);
  return j < end && src[j] === ',' ? j : -1;
}

/** Past a comment that ends the line at `i`, so text inserted there does not take the comment with it. */
function pastLineComment(src: string, i: number): number {
  const m = /^[ \t]*#[^\n]*/.exec(src.slice(i, i + 1000));
  return m ? i + m[0].length : i;
}

/**
 * Inserts already-rendered items (`"genie"`, `DatabricksServingEndpoint(endpoint_name="x")`) into a list literal,
 * one per line if the list is written one per line, inline otherwise, keeping the trailing-comma habit.
 */
export function insertIntoList(site: Site, items: string[]): TextEdit {
  const { mod, node } = site;
  const src = mod.src;
  const elems = node.children;
  const closing = node.end - 1;
  if (elems.length === 0) {
    return edit(mod, node.start + 1, closing, items.join(', '));
  }
  const last = elems[elems.length - 1];
  const comma = commaAfter(src, last.end, closing);
  const multiline = elems.length > 1 ? elems[elems.length - 1].sr !== elems[0].sr : node.sr !== last.sr;
  if (multiline) {
    const indent = indentOfLine(mod, last.start);
    const body = items.map((i) => `\n${indent}${i},`).join('');
    if (comma >= 0) {
      const after = pastLineComment(src, comma + 1);
      return edit(mod, after, after, body);
    }
    // No trailing comma: the separator goes right after the last item, the new lines after its comment.
    const after = pastLineComment(src, last.end);
    return edit(mod, last.end, after, `,${src.slice(last.end, after)}${body.slice(0, -1)}`);
  }
  if (comma >= 0) {
    return edit(mod, comma + 1, comma + 1, ` ${items.join(', ')},`);
  }
  return edit(mod, last.end, last.end, `, ${items.join(', ')}`);
}

/** Removes one element of a list literal with its comma (and its line when it stands alone on it). */
export function removeListItem(list: Site, item: PyNode): TextEdit {
  const { mod, node } = list;
  const src = mod.src;
  const elems = node.children;
  const i = elems.indexOf(item);
  if (i < 0) {
    return edit(mod, item.start, item.end, '');
  }
  const next = elems[i + 1];
  const prev = elems[i - 1];
  const lineStart = lineStartAt(src, item.start);
  const aloneOnLine = /^[ \t]*$/.test(src.slice(lineStart, item.start));
  if (aloneOnLine && item.sr !== node.sr) {
    let end = item.end;
    const rest = /^[ \t]*,?[ \t]*(#[^\n]*)?\n?/.exec(src.slice(end));
    end += rest ? rest[0].length : 0;
    if (!next && prev && commaAfter(src, item.end, node.end - 1) < 0) {
      // Last item without trailing comma: also drop the comma after the previous item.
      const comma = commaAfter(src, prev.end, item.start);
      const end = pastLineComment(src, item.end);
      if (comma < 0) {
        return edit(mod, prev.end, end, '');
      }
      // Keep the previous item's own comment, drop the removed item's line with its comment.
      const eol = src.indexOf('\n', comma);
      return edit(mod, comma, end, eol >= 0 && eol < item.start ? src.slice(comma + 1, eol) : '');
    }
    return edit(mod, lineStart, end, '');
  }
  if (next) {
    return edit(mod, item.start, next.start, '');
  }
  if (prev) {
    const comma = commaAfter(src, prev.end, item.start);
    const trailing = commaAfter(src, item.end, node.end - 1);
    if (trailing >= 0 && comma >= 0) {
      // Keep the author's trailing comma: drop the item with its own comma, not the previous one.
      return edit(mod, comma + 1, trailing + 1, '');
    }
    return edit(mod, comma >= 0 ? comma : prev.end, item.end, '');
  }
  return edit(mod, item.start, node.end - 1, '');
}

/** Adds `name=value` to a call's arguments in the call's layout. */
export function addKeyword(call: Site, kwText: string): TextEdit {
  const { mod, node } = call;
  const argList = child(node, 'arguments');
  if (!argList) {
    return edit(mod, node.end, node.end, `(${kwText})`);
  }
  const src = mod.src;
  const elems = argList.children;
  const closing = argList.end - 1;
  if (!elems.length) {
    return edit(mod, argList.start + 1, closing, kwText);
  }
  const last = elems[elems.length - 1];
  const comma = commaAfter(src, last.end, closing);
  const multiline = last.sr !== argList.sr;
  if (multiline) {
    const indent = indentOfLine(mod, last.start);
    const indented = kwText.replace(/\n/g, `\n${indent}`);
    if (comma >= 0) {
      const after = pastLineComment(src, comma + 1);
      return edit(mod, after, after, `\n${indent}${indented},`);
    }
    const after = pastLineComment(src, last.end);
    return edit(mod, last.end, after, `,${src.slice(last.end, after)}\n${indent}${indented}`);
  }
  if (comma >= 0) {
    return edit(mod, comma + 1, comma + 1, ` ${kwText}`);
  }
  return edit(mod, last.end, last.end, `, ${kwText}`);
}

/** Removes a keyword argument with its separating comma. */
export function removeArgument(call: Site, arg: PyNode): TextEdit {
  const { mod } = call;
  const argList = arg.parent as PyNode;
  const elems = argList.children;
  const i = elems.indexOf(arg);
  const next = elems[i + 1];
  const prev = elems[i - 1];
  const src = mod.src;
  if (next) {
    return edit(mod, arg.start, next.start, '');
  }
  if (prev) {
    const multiline = arg.sr !== prev.er;
    if (multiline) {
      const lineStart = src.lastIndexOf('\n', arg.start - 1);
      const tail = /^[ \t]*,?(?:[ \t]*#[^\n]*)?/.exec(src.slice(arg.end))?.[0] ?? '';
      return edit(mod, lineStart, arg.end + tail.length, '');
    }
    const comma = src.lastIndexOf(',', arg.start);
    return edit(mod, comma, arg.end, '');
  }
  return edit(mod, arg.start, argList.end - 1, '');
}

/**
 * Makes `from <module> import <names>` available above `before`: extends an existing import of that module,
 * or inserts a new line before the top-level statement that contains `before`.
 */
export function ensureImport(
  mod: ModuleModel,
  module: string,
  names: string[],
  before: PyNode,
): TextEdit | undefined {
  const src = mod.src;
  let missing = [...names];
  let existing: PyNode | undefined;
  for (const n of mod.importNodes) {
    if (n.type !== 'import_from_statement' || n.start > before.start) {
      continue;
    }
    const m = child(n, 'module_name');
    if (!m || textOf(src, m) !== module) {
      continue;
    }
    existing = n;
    const imported = n.children
      .filter((c) => c.field === 'name')
      .map((c) => textOf(src, c.type === 'aliased_import' ? (child(c, 'alias') ?? c) : c));
    missing = missing.filter((x) => !imported.includes(x));
  }
  if (!missing.length) {
    return undefined;
  }
  if (existing) {
    const last = existing.children[existing.children.length - 1];
    const closeParen = src.slice(last.end, existing.end).includes(')');
    if (!closeParen) {
      return edit(mod, last.end, last.end, `, ${missing.join(', ')}`);
    }
  }
  let top = before;
  while (top.parent && top.parent.type !== 'module') {
    top = top.parent;
  }
  const lineStart = lineStartAt(src, top.start);
  return edit(mod, lineStart, lineStart, `from ${module} import ${missing.join(', ')}\n`);
}

export function replaceNode(site: Site, text: string): TextEdit {
  return edit(site.mod, site.node.start, site.node.end, text);
}
