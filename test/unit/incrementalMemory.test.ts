// A kept interpreter takes edit after edit in: what it keeps must stay the size of the code, not grow with the edits.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { Project } from '../../server/src/analyser/project';
import { analyse } from './helpers';
import { generatedAgent, typingChanges } from '../lsp/generatedAgent';

const FILE = '/proj/my_agent/agent.py';
const TYPED = '    extra = helper_3(text, limit) + str(len(parts))';
const TYPED_IN_CLASS = '        extra = self.helper_3(text, limit) + str(len(parts))';

interface Sizes {
  cells: number;
  readers: number;
  writers: number;
  units: number;
  /** Units held as nested in another (closures, a class body's methods and defs). */
  inner: number;
  /** Units whose events are held. */
  events: number;
}

/** The bookkeeping of the interpreter the project keeps for its one-module group (internal). */
function keptSizes(project: Project): Sizes {
  const kept = (
    project as unknown as {
      scheduler?: { interpretation?: { kept?: { interp: { bookkeeping(): Sizes } } } };
    }
  ).scheduler?.interpretation?.kept;
  assert.ok(kept, 'no kept interpreter (or ProjectImpl internals moved)');
  return kept.interp.bookkeeping();
}

describe('incremental interpretation: memory', () => {
  for (const inClass of [false, true]) {
    it(`typing a line and clearing it, round after round, leaves the kept bookkeeping as it was${inClass ? ' (a method of one big class)' : ''}`, async () => {
      let text = generatedAgent(300, { inClass });
      const line = Math.floor(text.split('\n').length / 2) + 1;
      const project = await createProject({ timeBudgetMs: 10_000 });
      project.setDocument({ path: FILE, text });
      project.findingsFor(FILE);
      const at = (character: number) => ({ line, character });
      project.setDocument({ path: FILE }, [{ range: { start: at(0), end: at(0) }, text: '\n' }]);
      const lines = text.split('\n');
      lines.splice(line, 0, '');
      text = lines.join('\n');
      const typed = inClass ? TYPED_IN_CLASS : TYPED;
      const rounds: Sizes[] = [];
      for (let round = 0; round < 4; round++) {
        for (const change of typingChanges(line, typed)) {
          project.setDocument({ path: FILE }, [change]);
          project.findingsFor(FILE);
        }
        project.setDocument({ path: FILE }, [{ range: { start: at(0), end: at(typed.length) }, text: '' }]);
        project.findingsFor(FILE);
        rounds.push(keptSizes(project));
      }
      // Each round ends on the same text: the same units read and write the same cells.
      assert.deepEqual(rounds[3], rounds[1], `bookkeeping grew: ${JSON.stringify(rounds)}`);
      const fresh = await analyse({ [FILE]: text });
      assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE));
    });
  }
});
