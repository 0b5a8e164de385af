// Builds the `# obo: ignore[OBOxxx]` edit for a line: appended at the end, or merged into an existing ignore comment.
import type { TextEdit } from 'vscode-languageserver/node';

const IGNORE = /#\s*obo:\s*ignore\[([^\]]*)\]/i;

/**
 * The edit that suppresses `code` on `line` (whose text excludes the line break), or undefined when the line
 * already ignores it or a comment can't go there (a backslash continuation would swallow it).
 */
export function ignoreCommentEdit(lineText: string, line: number, code: string): TextEdit | undefined {
  const existing = IGNORE.exec(lineText);
  if (existing) {
    const codes = existing[1]
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (codes.some((c) => c.toUpperCase() === code.toUpperCase())) {
      return undefined;
    }
    const start = existing.index + existing[0].indexOf('[') + 1;
    const end = existing.index + existing[0].length - 1;
    return {
      range: { start: { line, character: start }, end: { line, character: end } },
      newText: [...codes, code].join(', '),
    };
  }
  const content = lineText.replace(/\s+$/, '');
  if (content.endsWith('\\')) {
    return undefined;
  }
  return {
    range: { start: { line, character: content.length }, end: { line, character: lineText.length } },
    newText: `${content.length > 0 ? '  ' : ''}# obo: ignore[${code}]`,
  };
}
