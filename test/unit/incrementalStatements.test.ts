// Reparsing only the statements an edit touched gives, node for node, the tree a fresh parse of the new text gives.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import { applyChange, parseableText } from '../../server/src/analyser/python/parser';
import { aheadOfTree, shiftOf, type ShiftInfo } from '../../server/src/analyser/python/reuse';
import { reparseStatements } from '../../server/src/analyser/python/statements';
import type { PyNode } from '../../server/src/analyser/python/tree';
import type { Project } from '../../server/src/analyser/project';
import { analyse, py } from './helpers';
import { dump, freshDump, parsedText, positionAt } from './treeDump';

const TEXTS = [
  py`
    import json


    def first(a, b=1):
        """Doc."""
        return a + b


    @decorate(x=1)
    def second(text):
        parts = [p for p in text.split(",")]
        return json.dumps(parts)  # trailing comment

    a = 1; b = 2
    total = (a +
             b)
    x = 1 + \\
        2

    class Holder:
        # a comment line
        value = "é😀"

        def method(self):
            if self.value:
                return 1
            else:
                return 2
    last = """multi
    line"""
  `,
  // No trailing newline, blank lines at the top.
  '\n\n  \nx = 1\ny = 2',
  'def f():\n    pass\n\n\n\n',
  'if a:\n    pass\nelif b:\n    pass\n\nwhile True:\n    break\n',
];

const SNIPPETS = [
  'x',
  ' ',
  '\n',
  '\n\n',
  '(',
  ')',
  '()',
  '"',
  '"""',
  '\\',
  ':',
  '#',
  'else:',
  '\n    y = 1',
  '\nz = 2\n',
  '',
];

interface Outcome {
  reparsed: number;
  total: number;
}

/** One edit: the reparse of its statements, when it applies, equals a fresh parse of the new text. */
async function check(text: string, start: number, end: number, insert: string, out: Outcome): Promise<void> {
  const { parser, parsed: oldParsed, tree: oldTree, root: oldRoot } = await parsedText(text);
  oldTree.delete();
  const pos = (o: number) => positionAt(text, o);
  const a = applyChange(text, { start: pos(start), end: pos(end) }, insert);
  const shift: ShiftInfo = shiftOf(a);
  const newParsed = parseableText(a.text);
  const before = dump(oldRoot);
  const got = reparseStatements(parser, oldRoot, shift, { old: oldParsed, new: newParsed }, 10_000);
  out.total++;
  if (!got) {
    assert.equal(dump(oldRoot), before, 'a reparse that does not apply leaves the old tree as it was');
    return;
  }
  out.reparsed++;
  const { tree: freshTree, root: fresh } = await parsedText(a.text);
  const hasError = freshTree.rootNode.hasError;
  freshTree.delete();
  const what = `inserting ${JSON.stringify(insert)} at ${start}-${end} of ${JSON.stringify(text.slice(0, 40))}`;
  assert.ok(!hasError, `only edits leaving the file without errors are reparsed alone (${what})`);
  assert.equal(dump(got), dump(fresh), what);
}

describe('reparsing only the edited statements', () => {
  it('gives every node the position a fresh parse gives, for edits before, inside and after statements', async () => {
    const out: Outcome = { reparsed: 0, total: 0 };
    for (const text of TEXTS) {
      const step = Math.max(1, Math.floor(text.length / 60));
      for (let at = 0; at <= text.length; at += step) {
        for (const s of SNIPPETS) {
          await check(text, at, at, s, out);
        }
        // Deletions and replacements across statement edges.
        for (const len of [1, 3, 12, 40]) {
          const end = Math.min(text.length, at + len);
          await check(text, at, end, '', out);
          await check(text, at, end, 'y', out);
        }
      }
    }
    // Most edits apply (the point of the path); many fall back (errors, continuations).
    assert.ok(out.reparsed > out.total / 4, `${out.reparsed} of ${out.total} edits reparsed alone`);
    assert.ok(out.reparsed < out.total, 'some edits fall back to the full reparse');
  });
});

describe('typing code into a function, one statement reparsed per key', () => {
  const FILE = '/proj/agent.py';
  const AGENT = py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
    from mlflow.pyfunc import ResponsesAgent


    def helper(text):
        parts = text.split(",")
        return parts


    class Agent(ResponsesAgent):
        def predict(self, request):
            client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            return client.serving_endpoints.query(name="e", input=str(request))


    mlflow.models.set_model(Agent())
    mlflow.pyfunc.log_model(
        name="agent",
        python_model="agent.py",
        auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["sql"])),
    )
  `;

  function rootOf(project: Project): PyNode {
    const documents = (
      project as unknown as {
        documents?: { get(key: string): { units: { mod: { root: PyNode } }[] } | undefined };
      }
    ).documents;
    assert.ok(documents, 'ProjectImpl internals moved: no document store');
    return documents.get(FILE)?.units[0].mod.root as PyNode;
  }

  it('keeps findings, reports and every node as a fresh analysis has them, then a full reparse catches up', async () => {
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text: AGENT });
    project.findingsFor(FILE);
    const lines = AGENT.split('\n');
    const at = lines.findIndex((l) => l.includes('return parts'));
    const blank = {
      range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } },
      text: '\n',
    };
    project.setDocument({ path: FILE }, [blank]);
    let text = applyChange(AGENT, blank.range, blank.text).text;
    // Typed as VS Code sends it: an opening bracket brings its closer, typed over later.
    const typed = '    extra = helper(str(len(parts)))';
    let ahead = 0;
    let keys = 0;
    const pending: string[] = [];
    for (let i = 0; i < typed.length; i++) {
      if (pending[pending.length - 1] === typed[i]) {
        pending.pop();
        continue;
      }
      const insert = typed[i] === '(' ? '()' : typed[i];
      if (insert === '()') {
        pending.push(')');
      }
      const change = {
        range: { start: { line: at, character: i }, end: { line: at, character: i } },
        text: insert,
      };
      project.setDocument({ path: FILE }, [change]);
      text = applyChange(text, change.range, change.text).text;
      const root = rootOf(project);
      keys++;
      ahead += root.children.some((c) => aheadOfTree.has(c)) ? 1 : 0;
      const what = JSON.stringify(text.split('\n')[at]);
      const fresh = await analyse({ [FILE]: text });
      assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE), `findings after ${what}`);
      assert.deepEqual(project.agentReports(), fresh.reports);
      assert.equal(dump(root), await freshDump(text), `tree after ${what}`);
    }
    assert.ok(ahead > keys / 2, `most keys reparsed the function alone (${ahead} of ${keys})`);
    // An unclosed bracket reaches past the function: the full reparse takes over from the tree left behind.
    const open = {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      text: 'x = (\n',
    };
    project.setDocument({ path: FILE }, [open]);
    text = applyChange(text, open.range, open.text).text;
    const fresh = await analyse({ [FILE]: text });
    assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE), 'after an unclosed bracket');
    const close = { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' };
    project.setDocument({ path: FILE }, [close]);
    text = applyChange(text, close.range, close.text).text;
    assert.equal(dump(rootOf(project)), await freshDump(text), 'after the bracket is gone again');
  });
});
