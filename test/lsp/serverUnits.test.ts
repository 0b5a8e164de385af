// Unit tests for the server's pure helpers: ignore comments, fix-all planning, globs, settings, string ranges, URIs.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFixAll } from '../../server/src/lsp/fixAllPlanner';
import { compileGlobs } from '../../server/src/lsp/globMatcher';
import { ignoreCommentEdit } from '../../server/src/lsp/ignoreComment';
import { preferredQuote, stringContentAt } from '../../server/src/lsp/pythonText';
import { normalizeSettings } from '../../shared/settings';
import { cellKey, pathToUri, uriToPath } from '../../server/src/lsp/uriPaths';

const edit = (line: number, a: number, b: number, newText = 'x') => ({
  range: { start: { line, character: a }, end: { line, character: b } },
  newText,
});

describe('ignoreCommentEdit', () => {
  it('appends after the code, replacing trailing whitespace', () => {
    assert.deepEqual(ignoreCommentEdit('x = f()   ', 4, 'OBO101'), edit(4, 7, 10, '  # obo: ignore[OBO101]'));
  });
  it('goes after another comment, and merges into an existing ignore', () => {
    assert.deepEqual(
      ignoreCommentEdit('x = f()  # noqa: E501', 0, 'OBO101'),
      edit(0, 21, 21, '  # obo: ignore[OBO101]'),
    );
    assert.deepEqual(
      ignoreCommentEdit('x = f()  #obo:ignore[ OBO202 ]', 0, 'OBO101'),
      edit(0, 21, 29, 'OBO202, OBO101'),
    );
  });
  it('does nothing when the code is already ignored or the line continues with a backslash', () => {
    assert.equal(ignoreCommentEdit('x = f()  # obo: ignore[obo101]', 0, 'OBO101'), undefined);
    assert.equal(ignoreCommentEdit('x = f() + \\', 0, 'OBO101'), undefined);
  });
});

describe('planFixAll', () => {
  it('keeps whole fixes in document order and drops those touching kept text', () => {
    const a = [edit(1, 0, 5)];
    const b = [edit(1, 3, 8)]; // overlaps a
    const c = [edit(2, 0, 0), edit(0, 0, 0)]; // a two-edit fix, kept whole
    const d = [edit(2, 0, 0, 'y')]; // same insertion point as c
    assert.deepEqual(planFixAll([b, a, c, d]), [...a, ...c]);
    assert.deepEqual(planFixAll([a, b]), a);
    assert.deepEqual(planFixAll([]), []);
  });
});

describe('compileGlobs', () => {
  it('matches folder-relative paths, bare names at any depth, and folders with everything below', () => {
    const m = compileGlobs(['build/**', '*_test.py', 'legacy', 'src/{a,b}/?.py', '[!x]y.py']);
    assert.equal(m('build/lib/x.py'), true);
    assert.equal(m('pkg/build/x.py'), false);
    assert.equal(m('deep/down/foo_test.py'), true);
    assert.equal(m('legacy/agent.py'), true);
    assert.equal(m('src/b/q.py'), true);
    assert.equal(m('src/c/q.py'), false);
    assert.equal(m('ay.py'), true);
    assert.equal(m('xy.py'), false);
    assert.equal(compileGlobs([])('anything.py'), false);
    assert.equal(compileGlobs(['[unclosed'])('[unclosed'), true);
  });
});

describe('normalizeSettings', () => {
  it('fills defaults and explains each bad value', () => {
    const problems: string[] = [];
    const s = normalizeSettings(
      {
        enable: 1,
        rules: { severity: { obo202: 'OFF', OBO1: 'error', OBO203: 'loud' } },
        exclude: ['a', 2],
        codeAction: { disableRuleComment: false },
      },
      problems,
    );
    assert.equal(s.enable, true);
    assert.deepEqual(s.rules.severity, { OBO202: 'off' });
    assert.deepEqual(s.exclude, ['a']);
    assert.equal(s.codeAction.disableRuleComment.enable, false);
    assert.equal(s.codeAction.showDocumentation.enable, true);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.deepEqual(normalizeSettings(null), normalizeSettings({}));
  });
});

describe('python text helpers', () => {
  it('finds the string literal around the cursor, escapes and unterminated strings included', () => {
    assert.deepEqual(stringContentAt('api_scopes=["sql", "dash"]', 22), { start: 20, end: 24, quote: '"' });
    assert.deepEqual(stringContentAt("x = ['a\\'b', 'c", 15), { start: 14, end: 15, quote: "'" });
    assert.equal(stringContentAt('x = ["a"]  # "b"', 14), undefined);
    assert.equal(stringContentAt('x = ["a", ]', 10), undefined);
  });
  it('prefers the quote the author uses', () => {
    assert.equal(preferredQuote("a = ['x', 'y', \"z\"]"), "'");
    assert.equal(preferredQuote('nothing'), '"');
  });
});

describe('uri and path mapping', () => {
  it('round-trips file and virtual URIs, and keys cells without their authority', () => {
    assert.equal(uriToPath('file:///tmp/a%20b/agent.py'), '/tmp/a b/agent.py');
    assert.equal(pathToUri('/tmp/a b/agent.py'), 'file:///tmp/a%20b/agent.py');
    const vfs = 'vscode-vfs://github/acme/repo/agent.py';
    assert.equal(pathToUri(uriToPath(vfs)), vfs);
    assert.equal(
      cellKey('vscode-notebook-cell://remote/work/nb.ipynb#W1sZmlsZQ%3D%3D'),
      cellKey('vscode-notebook-cell:/work/nb.ipynb#W1sZmlsZQ=='),
    );
  });
});
