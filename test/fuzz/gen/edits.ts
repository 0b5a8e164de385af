// The edit streams fuzz family: batches of LSP text changes, server-like (clamped) and raw, over corpus files.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../../../server/src/analyser/project';
import { type Budget, relative } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';
import { corpusFor, input, SIZES } from './common';

const EDIT_TEXTS = [
  '',
  '(',
  ')',
  '"',
  "'''",
  ':',
  '\n',
  '\r\n',
  '\r',
  '    ',
  '\t',
  'x',
  'WorkspaceClient()',
  '😀',
  '\ud83d',
  '\0',
  '\n\n\n',
  'def f(:\n',
  '# c\n',
];

/**
 * A random LSP change against `doc`. Raw streams include what a buggy client may send (out-of-range, negative and
 * reversed ranges, a full-text change mid-batch); server-like streams hold what the server passes on after
 * clamping (valid positions, full-text changes alone).
 */
export function randomChange(doc: TextDocument, rng: Rng, pastes: string[], serverLike: boolean): TextChange {
  if (!serverLike && rng.chance(0.05)) {
    return { text: rng.chance(0.5) ? doc.getText().slice(0, rng.int(doc.getText().length)) : '' };
  }
  const lines = doc.lineCount;
  const pos = () => {
    const line = rng.chance(0.1) ? rng.range(lines, lines + 5) : rng.chance(0.03) ? -1 : rng.int(lines);
    const len =
      line >= 0 && line < lines
        ? doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).length
        : 0;
    const p = { line, character: rng.chance(0.1) ? rng.range(len, len + 100) : rng.int(len + 1) };
    return serverLike ? doc.positionAt(doc.offsetAt(p)) : p;
  };
  const start = pos();
  let end = rng.chance(0.5) ? start : pos();
  if (rng.chance(0.3)) {
    end = { line: start.line, character: start.character + rng.int(20) };
    end = serverLike ? doc.positionAt(doc.offsetAt(end)) : end;
  }
  if (serverLike && (end.line < start.line || (end.line === start.line && end.character < start.character))) {
    [start.line, start.character, end.line, end.character] = [
      end.line,
      end.character,
      start.line,
      start.character,
    ];
  }
  const text = rng.chance(0.15) ? rng.pick(pastes).slice(0, rng.range(1, 400)) : rng.pick(EDIT_TEXTS);
  return { range: { start, end }, text };
}

export function* edits(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = corpusFor(budget, seed, 'edits').filter((c) => c.file.endsWith('.py'));
  const pastes = corpus.map((c) => c.text);
  // Server-like streams are what VS Code sends: one EOL per document (it normalises on load) and every change
  // clamped; raw streams are what any client might send.
  const variants: { tag: string; eol: string; serverLike: boolean }[] = [
    { tag: 'lf,server-like', eol: '\n', serverLike: true },
    { tag: 'crlf,server-like', eol: '\r\n', serverLike: true },
    { tag: 'lf,raw', eol: '\n', serverLike: false },
    { tag: 'crlf,raw', eol: '\r\n', serverLike: false },
    { tag: 'cr,raw', eol: '\r', serverLike: false },
    { tag: 'mixed,raw', eol: '', serverLike: false },
  ];
  for (const { file, text } of corpus) {
    for (let k = 0; k < SIZES[budget].edits; k++) {
      const s = hashSeed(`${seed}:edits:${file}:${k}`);
      const rng = new Rng(s);
      const v = variants[k % variants.length];
      const withEol = (t: string) =>
        v.eol
          ? t.replace(/\r\n|\r|\n/g, v.eol)
          : t.replace(/\r\n|\r|\n/g, () => rng.pick(['\n', '\r\n', '\r']));
      const initial = withEol(text);
      let doc = TextDocument.create('file:///fuzz.py', 'python', 0, initial);
      const batches: TextChange[][] = [];
      for (let b = 0; b < SIZES[budget].editBatches; b++) {
        const batch: TextChange[] = [];
        for (let n = rng.range(1, 3); n > 0; n--) {
          let c = randomChange(doc, rng, pastes, v.serverLike);
          if (v.serverLike) {
            c = { ...c, text: withEol(c.text) };
          }
          batch.push(c);
          doc = TextDocument.update(doc, [c], doc.version + 1);
        }
        batches.push(batch);
      }
      yield {
        ...input(`edits:${relative(file)}#${k}[${v.tag}]`, `/fuzz/edit_${path.basename(file)}`, initial, s),
        edits: batches,
      };
    }
  }
}
