// Syntax-tree leaves share one empty children list, and no conversion or reparse writes into it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import { NO_CHILDREN, type PyNode, visit } from '../../server/src/analyser/python/tree';
import { keptModule } from './classEdits';
import { parsedText } from './treeDump';
import { py } from './helpers';

const AGENT = py`
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials


  class Agent:
      def predict(self, request):
          client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          return client.serving_endpoints.query(name="e", input=str(request))
`;

function leaves(root: PyNode): PyNode[] {
  const out: PyNode[] = [];
  visit(root, (n) => {
    if (!n.children.length) {
      out.push(n);
    }
  });
  return out;
}

describe('syntax-tree leaves', () => {
  it('share one empty children list after a fresh conversion', async () => {
    const { tree, root } = await parsedText(AGENT);
    tree.delete();
    const all = leaves(root);
    assert.ok(all.some((n) => n.type === 'identifier'));
    assert.ok(
      all.every((n) => n.children === NO_CHILDREN),
      'a leaf with a list of its own',
    );
  });

  it('still share it, empty, after edits that reparse a statement and reuse a class body', async () => {
    const FILE = '/proj/agent.py';
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text: AGENT });
    project.findingsFor(FILE);
    const line = AGENT.split('\n').findIndex((l) => l.includes('return client'));
    for (const typed of ['x', 'y = 1', '(']) {
      const at = { line, character: 8 };
      project.setDocument({ path: FILE }, [{ range: { start: at, end: at }, text: `${typed}\n        ` }]);
      project.findingsFor(FILE);
      const root = keptModule(project)?.root;
      assert.ok(root, 'a kept interpreter holds the module (internals moved?)');
      assert.ok(
        leaves(root).every((n) => n.children === NO_CHILDREN),
        `a leaf with a list of its own after typing ${JSON.stringify(typed)}`,
      );
      assert.equal(NO_CHILDREN.length, 0, `after typing ${JSON.stringify(typed)}`);
    }
  });
});
