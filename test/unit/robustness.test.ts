// Broken and half-typed input: the analyser never throws, analyses as far as the code parses, and keeps positions valid.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { Finding } from '../../server/src/analyser/model';
import { seedNotebook, splitNotebook } from '../seedForms';
import { analyse, assertAt, none, only, positionOf, py, summary } from './helpers';

const { agent: GENIE_AGENT, driver: GENIE_DRIVER } = splitNotebook(seedNotebook('genie'));

/** Every finding's range lies inside its file's text. */
function assertInside(files: Map<string, string>, findings: Finding[]): void {
  for (const f of findings) {
    const text = files.get(f.location.file);
    assert.ok(text !== undefined, `finding in unknown file ${f.location.file}`);
    const lines = text.split('\n');
    for (const p of [f.location.range.start, f.location.range.end]) {
      assert.ok(
        p.line < lines.length && p.character <= lines[p.line].length,
        `${f.code} position ${p.line}:${p.character} is inside the file`,
      );
    }
  }
}

describe('broken and half-typed files', () => {
  it('analyses every prefix of the Genie seed without throwing, with positions inside the text', async () => {
    for (let cut = 0; cut <= GENIE_AGENT.length; cut += 97) {
      const r = await analyse({ 'obo_agent.py': GENIE_AGENT.slice(0, cut), 'obo_driver.py': GENIE_DRIVER });
      assertInside(r.files, r.all);
    }
  });

  it('analyses every prefix of the driver without throwing', async () => {
    for (let cut = 0; cut <= GENIE_DRIVER.length; cut += 23) {
      const r = await analyse({ 'obo_agent.py': GENIE_AGENT, 'obo_driver.py': GENIE_DRIVER.slice(0, cut) });
      assertInside(r.files, r.all);
    }
  });

  it('still reports what parses before a broken region', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      class Agent(ResponsesAgent):
          def predict(self, request
              return w.current_user.me(

      mlflow.models.set_model(Agent())
    `;
    const r = await analyse({ 'agent.py': src });
    assertAt(r, only(r, 'OBO101'), 'WorkspaceClient(');
  });

  it('handles an unclosed call while typing the client', async () => {
    const src = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent

      class Agent(ResponsesAgent):
          def __init__(self):
              self.w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials()
    `;
    const r = await analyse({ 'agent.py': src });
    assertInside(r.files, r.all);
    assert.ok(r.code('OBO101').length <= 1, summary(r.all));
  });

  it('copes with odd inputs: empty, comments only, non-Python text, deep nesting, NUL bytes, CRLF', async () => {
    const inputs = [
      '',
      '# just a comment\n',
      'SELECT * FROM table WHERE x = 1;\n',
      `x = ${'['.repeat(500)}${']'.repeat(500)}\n`,
      'def f(:\n\x00\x00\n  return )\n',
      'class A(ResponsesAgent):\r\n    def predict(self, r):\r\n        pass\r\n',
      '\uFEFFimport mlflow\nmlflow.pyfunc.log_model(python_model=)\n',
      'from databricks_openai import (\n',
    ];
    for (const text of inputs) {
      const r = await analyse({ 'agent.py': text });
      assertInside(r.files, r.all);
    }
  });

  it('reports a truncated notebook as information, without throwing', async () => {
    const r = await analyse({ 'nb.ipynb': '{"cells": [{"cell_type": "code", "source": ["import ml' });
    assert.ok(
      r.all.every((f) => f.code === 'OBO100' && f.severity === 'information'),
      summary(r.all),
    );
    assert.ok(r.all.length >= 1, 'the problem is reported');
  });

  it('keeps results right through incremental edits (same as a fresh analysis)', async () => {
    const project = await createProject({});
    const file = '/proj/obo_agent.py';
    project.setDocument({ path: file, text: GENIE_AGENT });
    project.setDocument({ path: '/proj/obo_driver.py', text: GENIE_DRIVER });
    // Type a top-level user client after the imports, one character at a time.
    const at = positionOf(GENIE_AGENT, 'mlflow.langchain.autolog()');
    const insert = 'W = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())\n';
    let text = GENIE_AGENT;
    for (let i = 0; i < insert.length; i++) {
      const pos = { line: at.line, character: i };
      project.setDocument({ path: file }, [{ range: { start: pos, end: pos }, text: insert[i] }]);
      project.findings();
    }
    text = GENIE_AGENT.replace('mlflow.langchain.autolog()', `${insert}mlflow.langchain.autolog()`);
    const fresh = await analyse({ 'obo_agent.py': text, 'obo_driver.py': GENIE_DRIVER });
    const strip = (fs: Finding[]) =>
      fs.map((f) => `${f.code}@${f.location.range.start.line}:${f.location.range.start.character}`);
    assert.deepEqual(strip(project.findingsFor(file)), strip(fresh.of('obo_agent.py')));
    assert.ok(strip(fresh.of('obo_agent.py')).includes(`OBO101@${at.line}:4`), summary(fresh.all));
  });

  it('does not report an agent module that only mentions the names in strings and comments', async () => {
    const src = py`
      # WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
      DOC = "WorkspaceClient(credentials_strategy=ModelServingUserCredentials())"
    `;
    const r = await analyse({ 'agent.py': src });
    none(r, 'OBO101');
    assert.equal(r.all.length, 0, summary(r.all));
  });
});
