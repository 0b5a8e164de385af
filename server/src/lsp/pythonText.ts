// Small line-level Python text helpers for completion edits: the string literal around the cursor, import placement.

/** The content range (inside the quotes) of the string literal holding `character` on this line, if any. */
export function stringContentAt(
  lineText: string,
  character: number,
): { start: number; end: number; quote: string } | undefined {
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < lineText.length; i++) {
    const ch = lineText[i];
    if (quote) {
      if (ch === '\\') {
        i++;
        continue;
      }
      if (ch === quote) {
        if (character >= start && character <= i) {
          return { start, end: i, quote };
        }
        quote = undefined;
      }
    } else if (ch === '#') {
      return undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      start = i + 1;
    }
  }
  // An unterminated string (the author is still typing) ends at the line end.
  if (quote && character >= start) {
    return { start, end: lineText.length, quote };
  }
  return undefined;
}

/** The quote character the author uses most in this text (double by default). */
export function preferredQuote(text: string): string {
  const singles = (text.match(/'[\w.:-]+'/g) ?? []).length;
  const doubles = (text.match(/"[\w.:-]+"/g) ?? []).length;
  return singles > doubles ? "'" : '"';
}

/** The line after the last top-level import (after its closing parenthesis), or 0 when there is none. */
export function importInsertLine(lines: readonly string[]): number {
  let after = 0;
  let inParens = false;
  let docstringDone = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inParens) {
      if (line.includes(')')) {
        inParens = false;
        after = i + 1;
      }
      continue;
    }
    if (/^(from\s+\S+\s+import\b|import\s+\S)/.test(line)) {
      after = i + 1;
      if (line.includes('(') && !line.includes(')')) {
        inParens = true;
      }
      docstringDone = true;
    } else if (!docstringDone && /^(#|\s*$)/.test(line)) {
      continue;
    } else if (/^(def|class|if|for|while|with|try|@)\b/.test(line)) {
      break;
    }
  }
  return after;
}

const SCOPES_LIST_OPEN = /(api_scopes\s*=\s*|UserAuthPolicy\s*\(\s*)\[/g;

/**
 * The complete string literals of the `api_scopes=[...]` list around `offset`, leaving out the one the cursor
 * is in (that one is being typed, so offering it again is right). Empty when the cursor is not in such a list.
 */
export function declaredInList(text: string, offset: number): string[] {
  const from = Math.max(0, offset - 4000);
  let open = -1;
  for (const m of text.slice(from, offset).matchAll(SCOPES_LIST_OPEN)) {
    open = from + (m.index ?? 0) + m[0].length;
  }
  if (open < 0) {
    return [];
  }
  const out: string[] = [];
  let depth = 0;
  for (let i = open; i < Math.min(text.length, open + 8000); i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') {
        j += text[j] === '\\' ? 2 : 1;
      }
      const closed = text[j] === ch;
      if (closed && !(offset > i && offset <= j)) {
        out.push(text.slice(i + 1, j));
      }
      i = j;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (ch === '[' || ch === '(') {
      depth++;
    } else if (ch === ']' || ch === ')') {
      if (depth === 0) {
        // The list ends here; a cursor past it is not inside the list.
        return offset <= i ? out : [];
      }
      depth--;
    }
  }
  return out;
}
