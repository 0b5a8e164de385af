// The bounded fuzz slice of `npm test` (OBO_FUZZ_BUDGET=ci; `npm run fuzz` runs the long one): no crash, hang or slow file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { budgetFromEnv, ROOT, stdlibDir } from './corpus';
import { bigFile, FAMILIES } from './generators';
import { analyseInput } from './harness';
import { describeFailure, type FamilyStats, type Failure, formatStats, knownBugs, runFamily } from './runner';

const BUDGET = budgetFromEnv();
const SEED = Number(process.env.OBO_FUZZ_SEED ?? 1);

/**
 * The 5 MB file's budget. Measured on the 2-core dev box: 2.2 s CPU and wall, three runs within 50 ms: parsing
 * stops at timeBudgetMs (2 s by default) with an OBO100 note, and what was parsed is analysed. 6 s CPU leaves
 * room for a slower runner and still fails if the cut-off stops applying (it took 9-13 s before it did); the
 * wall-clock bound only guards against a hang on a busy machine.
 */
const BIG_FILE_CPU_MS = 6_000;
/** The analyser's default `timeBudgetMs` (the harness leaves it unset). */
const DEFAULT_TIME_BUDGET_MS = 2_000;
const BIG_FILE_WALL_MS = 20_000;

const all: FamilyStats[] = [];

/** Known failures show as TODO subtests (visible, not failing); anything else fails the family's test. */
async function reportKnown(t: TestContext, failures: Failure[]): Promise<void> {
  const bugs = knownBugs();
  const byBug = new Map<string, Failure[]>();
  for (const f of failures.filter((x) => x.known)) {
    byBug.set(f.known as string, [...(byBug.get(f.known as string) ?? []), f]);
  }
  for (const [id, list] of byBug) {
    const summary = bugs.find((b) => b.id === id)?.summary ?? '';
    await t.test(
      `known bug ${id}: ${list.length} input(s), e.g. ${list[0].name}`,
      { todo: summary },
      () => {},
    );
  }
}

describe(`analyser fuzz (${BUDGET}, seed ${SEED})`, () => {
  for (const family of FAMILIES) {
    it(
      `${family}: no crash, hang, broken invariant or slow normal-sized file`,
      { timeout: 20 * 60_000 },
      async (t) => {
        if (family === 'stdlib' && !stdlibDir()) {
          t.skip('no python3 on PATH: no standard library to read');
          return;
        }
        const stats = await runFamily(family, BUDGET, SEED);
        all.push(stats);
        t.diagnostic(formatStats([stats]).split('\n')[0]);
        assert.equal(stats.error, undefined, `the fuzzer itself failed: ${stats.error}`);
        assert.ok(stats.tried > 0, `${family} produced no input`);
        await reportKnown(t, stats.failures);
        const fresh = stats.failures.filter((f) => !f.known);
        assert.deepEqual(
          fresh.map(describeFailure),
          [],
          `${fresh.length} new failure(s); inputs saved under out/fuzz-failures/`,
        );
        if (family === 'regressions') {
          // A listed fixture that passes means its bug was fixed: the entry must go, or it would hide a relapse.
          const failing = new Set(stats.failures.map((f) => f.name.replace(/^regression:/, '')));
          const stale = knownBugs().flatMap(
            (b) =>
              (b as { fixtures?: string[] }).fixtures
                ?.filter((x) => !failing.has(x))
                .map((x) => `${b.id}: ${x}`) ?? [],
          );
          assert.deepEqual(
            stale,
            [],
            'these known-bug fixtures pass now: remove their entries from test/fixtures/fuzz/known-bugs.json',
          );
        }
        if (family === 'edits') {
          // The tree oracle reads the project's internals; if they moved, say so instead of passing silently.
          assert.ok(
            stats.treeChecks > 0,
            'the incremental-tree oracle never ran: ProjectImpl internals (documents/units/tree) moved',
          );
        }
      },
    );
  }

  it(
    'the 5 MB file is cut off with an information finding and analysed within its budget',
    { timeout: 5 * 60_000 },
    async (t) => {
      const input = bigFile(5 << 20, SEED);
      // Warm the parser and the JIT on a slice first: the figure is about the file, not about start-up.
      await analyseInput({ ...input, text: (input.text ?? '').slice(0, 200_000), name: 'warm-up' });
      const outcome = await analyseInput(input);
      const mb = input.bytes / (1 << 20);
      t.diagnostic(
        `5 MB file: ${outcome.ms.toFixed(0)} ms CPU (${(outcome.ms / mb).toFixed(0)} ms/MB), ${outcome.wallMs.toFixed(0)} ms wall, cut off: ${outcome.cutOff}`,
      );
      assert.equal(outcome.crash, undefined);
      assert.equal(outcome.invalid, undefined);
      // Parsing and each module's interpretation stop at timeBudgetMs (2 s by default). A fast machine may analyse
      // the whole file inside that; a file that took longer than the budget allows must carry the cut-off note.
      assert.ok(
        outcome.cutOff || outcome.ms < 2 * DEFAULT_TIME_BUDGET_MS,
        `${outcome.ms.toFixed(0)} ms CPU with no cut-off: past timeBudgetMs the OBO100 note must say the results are incomplete`,
      );
      assert.ok(
        outcome.ms < BIG_FILE_CPU_MS,
        `5 MB file took ${outcome.ms.toFixed(0)} ms CPU (budget ${BIG_FILE_CPU_MS} ms)`,
      );
      assert.ok(outcome.wallMs < BIG_FILE_WALL_MS, `5 MB file took ${outcome.wallMs.toFixed(0)} ms wall`);
      bigFigure = `5 MB file: ${outcome.ms.toFixed(0)} ms CPU (${(outcome.ms / mb).toFixed(0)} ms/MB), ${outcome.wallMs.toFixed(0)} ms wall, cut-off note: ${outcome.cutOff ? 'yes' : 'no'}`;
    },
  );

  after(() => {
    const summary = `${formatStats(all.filter((s) => s.tried > 0))}\n${bigFigure}`;
    console.log(`\nfuzz summary (${BUDGET}, seed ${SEED})\n${summary}`);
    fs.mkdirSync(path.join(ROOT, 'out', 'fuzz'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'out', 'fuzz', `summary-${BUDGET}.txt`), `${summary}\n`);
  });
});

let bigFigure = '5 MB file: not run';
