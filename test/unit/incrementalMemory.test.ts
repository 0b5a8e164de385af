// A kept interpreter takes edit after edit in: what it keeps must stay the size of the code, not grow with the edits; old texts die.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { Project } from '../../server/src/analyser/project';
import { type PyNode, visit } from '../../server/src/analyser/python/tree';
import { keptModule } from './classEdits';
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

/**
 * From a heap snapshot (it collects first): how many strings at least `length` long the heap holds, and how many
 * syntax nodes.
 */
function heapCounts(length: number): { longStrings: number; pyNodes: number } {
  const file = path.join(os.tmpdir(), `obo-texts-${process.pid}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  try {
    const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const { node_fields: fields, node_types: nodeTypes } = snap.snapshot.meta;
    const types = nodeTypes[0];
    const [type, name, size] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')];
    const out = { longStrings: 0, pyNodes: 0 };
    for (let i = 0; i < snap.nodes.length; i += fields.length) {
      const t = types[snap.nodes[i + type]];
      // A sequential string's self size is its header and its characters (1 or 2 bytes each).
      if (t === 'string' && snap.nodes[i + size] >= length) {
        out.longStrings++;
      } else if (t === 'object' && snap.strings[snap.nodes[i + name]] === 'PyNode') {
        out.pyNodes++;
      }
    }
    return out;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function treeSize(root: PyNode): number {
  let n = 0;
  visit(root, () => {
    n++;
  });
  return n;
}

describe('incremental analysis: what old versions leave', () => {
  it('edits across many functions keep no old copy of the file text, and no old syntax tree, alive', async () => {
    const text = generatedAgent(2000);
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    const spots = text
      .split('\n')
      .map((l, i) => (/^ {4}parts = /.test(l) ? i : -1))
      .filter((i) => i >= 0)
      .slice(0, 40);
    assert.equal(spots.length, 40, 'the generated agent has 40 functions to edit');
    for (let pass = 0; pass < 2; pass++) {
      for (const line of spots) {
        const at = { line, character: 4 };
        project.setDocument({ path: FILE }, [{ range: { start: at, end: at }, text: 'x' }]);
        project.findingsFor(FILE);
        project.setDocument({ path: FILE }, [
          { range: { start: at, end: { line, character: 5 } }, text: '' },
        ]);
        project.findingsFor(FILE);
      }
    }
    const root = keptModule(project)?.root;
    assert.ok(root, 'a kept interpreter holds the module (internals moved?)');
    const { longStrings, pyNodes } = heapCounts(text.length);
    // The current text, the last few kept for their line starts and parseable text, the test's own. A name cut from
    // the text as a plain slice kept the whole text of its keystroke (43 after one pass).
    assert.ok(longStrings <= 10, `${longStrings} strings as long as the file are alive`);
    // The tree, and the few nodes the last change's bookkeeping still holds. A replaced statement kept its parent
    // link: a value's site in it held an old root, whose statements held older roots, every version since (7,000
    // more nodes after two passes).
    const tree = treeSize(root);
    assert.ok(pyNodes <= tree + 1000, `${pyNodes} syntax nodes alive, ${tree} in the tree`);
  });
});
