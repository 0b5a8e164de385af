// Edits inside a class: the incremental conversion reuses the untouched body statements and still gives, node for node, a fresh parse's tree.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Edit } from 'web-tree-sitter';
import { createProject } from '../../server/src/analyser/analyse';
import { applyChange, parse, parseableText } from '../../server/src/analyser/python/parser';
import { convertTreeReusing, shiftOf } from '../../server/src/analyser/python/reuse';
import { child } from '../../server/src/analyser/python/tree';
import { analyse, py } from './helpers';
import { dump, freshDump, parsedText, positionAt } from './treeDump';

const TEXT = py`
  import mlflow
  from mlflow.pyfunc import ResponsesAgent


  class Agent(ResponsesAgent):
      """An agent whose code lives in its class."""

      LIMIT = 3

      def first(self, a, b=1):
          return a + b  # trailing comment

      @staticmethod
      def second(text):
          parts = [p for p in text.split(",")]
          return parts

      # a comment between methods
      def third(self):
          if self.LIMIT:
              return "é😀"
          return None


  mlflow.models.set_model(Agent())
`;

const SNIPPETS = ['x', ' ', '\n', '\n        y = 1', '(', ')', '"', ':', '#', '', 'def'];

interface Outcome {
  total: number;
  /** Edits whose new class kept an old body statement object. */
  reused: number;
}

async function check(text: string, start: number, end: number, insert: string, out: Outcome): Promise<void> {
  const { parser, parsed: oldParsed, tree: oldTree, root: oldRoot } = await parsedText(text);
  const oldBodies = new Set(
    oldRoot.children.flatMap((c) =>
      c.type === 'class_definition' ? (child(c, 'body')?.children ?? []) : [],
    ),
  );
  const pos = (o: number) => positionAt(text, o);
  const a = applyChange(text, { start: pos(start), end: pos(end) }, insert);
  const newParsed = parseableText(a.text);
  const edited = oldTree.copy();
  edited.edit(new Edit(a));
  const newTree = parse(parser, newParsed, edited);
  assert.ok(newTree);
  const got = convertTreeReusing(newTree, newTree.getChangedRanges(edited), oldRoot, shiftOf(a), {
    old: oldParsed,
    new: newParsed,
  });
  const what = `inserting ${JSON.stringify(insert)} at ${start}-${end}`;
  assert.equal(dump(got), await freshDump(a.text), what);
  out.total++;
  const cls = got.children.find((c) => c.type === 'class_definition');
  if (cls && cls !== oldRoot.children.find((c) => c.type === 'class_definition')) {
    if ((child(cls, 'body')?.children ?? []).some((c) => oldBodies.has(c))) {
      out.reused++;
    }
  }
  for (const t of [oldTree, edited, newTree]) {
    t.delete();
  }
}

describe('editing inside a class', () => {
  it('reuses the untouched body statements, every node where a fresh parse puts it', async () => {
    const out: Outcome = { total: 0, reused: 0 };
    const from = TEXT.indexOf('class Agent');
    const to = TEXT.indexOf('mlflow.models.set_model');
    for (let at = from; at <= to; at += 3) {
      for (const s of SNIPPETS) {
        await check(TEXT, at, at, s, out);
      }
      for (const len of [1, 5, 30]) {
        await check(TEXT, at, Math.min(TEXT.length, at + len), '', out);
      }
    }
    assert.ok(out.reused > out.total / 4, `${out.reused} of ${out.total} edits reused body statements`);
  });

  it('keeps findings right while typing in a method, as a fresh analysis has them', async () => {
    const agent = py`
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent


      class Agent(ResponsesAgent):
          def __init__(self):
              self.limit = 3

          def helper(self, text):
              return text.strip()

          def predict(self, request):
              client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
              return client.serving_endpoints.query(name="e", input=self.helper(str(request)))
    `;
    const project = await createProject({ timeBudgetMs: 10_000 });
    const file = '/proj/agent.py';
    project.setDocument({ path: file, text: agent });
    project.findingsFor(file);
    let text = agent;
    const line = text.split('\n').findIndex((l) => l.includes('return text.strip()'));
    const typed = '        self.limit = self.limit + 1';
    const at = { line: line + 1, character: 0 };
    project.setDocument({ path: file }, [{ range: { start: at, end: at }, text: '\n' }]);
    text = applyChange(text, { start: at, end: at }, '\n').text;
    for (let i = 0; i < typed.length; i++) {
      const p = { line: line + 1, character: i };
      project.setDocument({ path: file }, [{ range: { start: p, end: p }, text: typed[i] }]);
      text = applyChange(text, { start: p, end: p }, typed[i]).text;
      if (i % 5 === 0 || i === typed.length - 1) {
        const fresh = await analyse({ 'agent.py': text });
        assert.deepEqual(
          project.findingsFor(file),
          fresh.of('agent.py'),
          `after ${JSON.stringify(typed.slice(0, i + 1))}`,
        );
      }
    }
  });
});
