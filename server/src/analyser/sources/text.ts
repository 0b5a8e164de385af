// Text normalisation shared by every source kind: BOM, NUL bytes and line endings, keeping lines and columns as an editor shows them.

/**
 * Editors drop a leading BOM and count LF, CRLF and a lone CR each as one line break. Tree-sitter counts only
 * LF, so CRLF/CR become LF; NUL becomes a space because some lexers treat it as end of input. Neither
 * change moves a line or a column.
 */
export function normaliseText(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes('\r')) {
    t = t.replace(/\r\n?/g, '\n');
  }
  if (t.includes('\0')) {
    t = t.replace(/\0/g, ' ');
  }
  return t;
}

/** Splits normalised or raw text into lines the way an editor does. */
export function splitLines(text: string): string[] {
  return normaliseText(text).split('\n');
}

/** The first line of a text, without reading the rest (cheap on large files). */
export function firstLine(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const head = text.slice(start, start + 4096);
  const m = /[\r\n]/.exec(head);
  return m ? head.slice(0, m.index) : head;
}

/** 0-based line of a character offset in raw text (CR, LF and CRLF each count once). */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
    }
  }
  return line;
}
