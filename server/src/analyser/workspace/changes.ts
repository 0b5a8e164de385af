// A document's next text from the editor's content changes, and the edits an incremental parse replays on the last tree.
import type { InputDocument } from '../model';
import type { TextChange } from '../project';
import { applyChange, touchesCommentLine, widenToLines, type AppliedChange } from '../python/parser';
import { normaliseText } from '../sources/text';

export interface NextText {
  text: string | undefined;
  /**
   * The edits leading from the previous text to `text`, in order (widened to whole lines where they touch a comment
   * line, which the parsed text blanks). Absent when they cannot drive an incremental parse: no previous text, a
   * change replacing the whole text, or a caller's full text the changes do not lead to.
   */
  edits?: AppliedChange[];
}

/**
 * The text a document has after `changes` (normalised: positions stay the same, only line breaks and NULs differ).
 * The caller's full text wins when given; the changes then only say what moved.
 */
export function nextText(
  prev: InputDocument | undefined,
  doc: InputDocument,
  changes?: TextChange[],
): NextText {
  let text = doc.text === undefined ? undefined : normaliseText(doc.text);
  if (!changes?.length || doc.cells) {
    return { text };
  }
  if (prev?.text === undefined) {
    if (text === undefined) {
      let t = '';
      for (const c of changes) {
        t = c.range ? applyChange(t, c.range, normaliseText(c.text)).text : normaliseText(c.text);
      }
      text = t;
    }
    return { text };
  }
  let applied = prev.text;
  let edits: AppliedChange[] | undefined = [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (!c.range) {
      applied = normaliseText(c.text);
      edits = undefined;
      continue;
    }
    // The last change leads to the caller's text (the editor's store applied the same changes to the same text).
    const exact = applyChange(
      applied,
      c.range,
      normaliseText(c.text),
      i === changes.length - 1 ? text : undefined,
    );
    const a = touchesCommentLine(applied, exact) ? widenToLines(applied, exact) : exact;
    edits?.push(a);
    applied = a.text;
  }
  if (text !== undefined && text !== applied) {
    return { text };
  }
  // The caller's text when it has one (`applied` is that very string when the last change fitted it): the editor's
  // store keeps it anyway, so the document holds no second copy.
  return { text: text ?? applied, edits };
}
