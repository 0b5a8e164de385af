// The real-code corpus (test/fixtures/real/, see docs/testing.md): obo-lint must never crash on it, must be fast,
// and must report no false positive; the only discrepancies allowed are those in known-gaps.json, which can only shrink.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { gapKey, gapsOf, knownGaps, projects, scoreProject, type ProjectScore } from '../bench/corpus-score';

describe('real-code corpus (test/fixtures/real)', () => {
  const scores: ProjectScore[] = projects().map(scoreProject);
  const present = scores.filter((s) => s.missingFiles.length === 0);

  // The third-party files are not committed: without `npm run corpus:fetch` a project is skipped (said in the
  // test's diagnostics), unless OBO_CORPUS_REQUIRED=1, as on a machine that must check the corpus.
  it('has projects, each with its files fetched (required with OBO_CORPUS_REQUIRED=1)', (t) => {
    assert.ok(scores.length > 0);
    const missing = scores.filter((s) => s.missingFiles.length > 0).map((s) => s.project);
    if (missing.length > 0 && process.env.OBO_CORPUS_REQUIRED !== '1') {
      t.diagnostic(`skipped, files not fetched (npm run corpus:fetch): ${missing.join(', ')}`);
      return;
    }
    assert.deepEqual(missing, [], 'run `npm run corpus:fetch` first');
  });

  it('analyses every project without crashing or a usage error, under 5 s per file', () => {
    for (const s of present) {
      assert.ok(s.status === 0 || s.status === 1, `${s.project}: exit ${s.status}\n${s.stderr}`);
      assert.ok(s.ms < 5000 * s.files, `${s.project}: ${s.ms} ms for ${s.files} files`);
      assert.ok(
        !s.reported.some((f) => f.code === 'OBO100' && /time budget/i.test(f.message)),
        `${s.project}: cut off by the time budget`,
      );
    }
  });

  it('reports no false positive and misses nothing beyond known-gaps.json, which lists only current gaps', () => {
    const known = new Map(knownGaps().map((g) => [gapKey(g), g]));
    const current = present.flatMap(gapsOf);
    const fps = current.filter((g) => g.kind === 'FP' && !known.has(gapKey(g)));
    assert.deepEqual(fps, [], 'new false positives');
    const fns = current.filter((g) => g.kind === 'FN' && !known.has(gapKey(g)));
    assert.deepEqual(fns, [], 'new misses');
    const currentKeys = new Set(current.map(gapKey));
    const fixed = [...known.values()].filter(
      (g) => present.some((s) => s.project === g.project) && !currentKeys.has(gapKey(g)),
    );
    assert.deepEqual(fixed, [], 'fixed: remove these entries from test/fixtures/real/known-gaps.json');
  });
});
