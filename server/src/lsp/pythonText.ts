// Small line-level Python text helpers for completion: the string literal around the cursor, the author's quote.

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
