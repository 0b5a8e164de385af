// Edits that keep the code's meaning (comments, blank lines, trailing spaces) reuse the last interpretation, and
// every result still equals a fresh analysis of the same text.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { Project, TextChange } from '../../server/src/analyser/project';
import { analyse, py } from './helpers';

const FILE = '/proj/agent.py';

const AGENT = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain.genie import GenieAgent
  from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
  from mlflow.pyfunc import ResponsesAgent

  PROMPT = """Answer briefly.
  Use the tools."""


  class Agent(ResponsesAgent):
      def __init__(self):
          self.client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      def predict(self, request):
          genie = GenieAgent("space", client=self.client)
          return genie.invoke(PROMPT)


  mlflow.models.set_model(Agent())
  mlflow.pyfunc.log_model(
      name="agent",
      python_model="agent.py",
      auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["sql"])),
  )
`;

/** The interpretation object the project holds (internal: identity tells whether it was reused). */
/** How many interpretations the project has run: equal before and after an edit means it was not redone. */
function interpretation(project: Project): number {
  const scheduler = (project as unknown as { scheduler?: { runs?: number } }).scheduler;
  assert.ok(typeof scheduler?.runs === 'number', 'ProjectImpl internals moved: no scheduler run count');
  return scheduler.runs;
}

/** Applies one change the way the editor sends it, to the project and to our copy of the text. */
function edit(
  project: Project,
  text: string,
  line: number,
  character: number,
  insert: string,
  remove = 0,
): string {
  const lines = text.split('\n');
  const change: TextChange = {
    range: { start: { line, character }, end: { line, character: character + remove } },
    text: insert,
  };
  project.setDocument({ path: FILE }, [change]);
  lines[line] = lines[line].slice(0, character) + insert + lines[line].slice(character + remove);
  return lines.join('\n');
}

async function assertSameAsFresh(project: Project, text: string, what: string, least = 3): Promise<void> {
  const fresh = await analyse({ [FILE]: text });
  assert.ok(fresh.of(FILE).length >= least, `the agent has findings to move (${what})`);
  assert.deepEqual(
    project.findingsFor(FILE),
    fresh.of(FILE),
    `after ${what}: same findings as a fresh analysis`,
  );
  assert.deepEqual(project.agentReports(), fresh.reports, `after ${what}: same agent reports`);
}

async function opened(): Promise<Project> {
  const project = await createProject({ timeBudgetMs: 10_000 });
  project.setDocument({ path: FILE, text: AGENT });
  project.findingsFor(FILE);
  return project;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe('edits that keep what the code means', () => {
  it('typing a comment line inside a method reuses the interpretation, and findings below it move', async () => {
    const project = await opened();
    const before = interpretation(project);
    let text = AGENT;
    const at = lineOf(text, 'def predict');
    text = edit(project, text, at, 0, '\n');
    await assertSameAsFresh(project, text, 'a new blank line');
    const comment = '        # the client is built in __init__ on purpose';
    for (let i = 0; i < comment.length; i++) {
      text = edit(project, text, at, i, comment[i]);
      if (i % 9 === 0) {
        await assertSameAsFresh(project, text, `typing "${comment.slice(0, i + 1)}"`);
      }
    }
    await assertSameAsFresh(project, text, 'the whole comment');
    assert.equal(interpretation(project), before, 'the interpretation was not redone');
  });

  it('trailing spaces and blank lines between statements are no change either', async () => {
    const project = await opened();
    const before = interpretation(project);
    let text = edit(
      project,
      AGENT,
      lineOf(AGENT, 'self.client ='),
      AGENT.split('\n')[lineOf(AGENT, 'self.client =')].length,
      '   ',
    );
    await assertSameAsFresh(project, text, 'trailing spaces on a code line');
    text = edit(project, text, lineOf(text, 'mlflow.models.set_model'), 0, '\n\n');
    await assertSameAsFresh(project, text, 'blank lines between top-level statements');
    assert.equal(interpretation(project), before);
  });

  it('a change to code, or to spaces inside a string, is analysed again', async () => {
    const project = await opened();
    const before = interpretation(project);
    // Trailing spaces inside a triple-quoted string change the string's value.
    let text = edit(
      project,
      AGENT,
      lineOf(AGENT, 'Answer briefly.'),
      'PROMPT = """Answer briefly.'.length,
      '  ',
    );
    await assertSameAsFresh(project, text, 'spaces inside a string');
    const afterString = interpretation(project);
    assert.notEqual(afterString, before, 'a string literal changed: interpreted again');
    // Then a real fix: build the client per request.
    const init = lineOf(text, 'self.client =');
    text = edit(project, text, init, 8, 'client = None  # ', 0);
    await assertSameAsFresh(project, text, 'commenting out the init-time client', 1);
    assert.notEqual(interpretation(project), afterString);
    // And a comment typed after that still matches a fresh analysis.
    text = edit(project, text, 0, 0, '# header\n');
    await assertSameAsFresh(project, text, 'a header comment after a real change', 1);
  });

  it('a comment that ends a code line is taken as a change (conservative), with the same results', async () => {
    const project = await opened();
    const line = lineOf(AGENT, 'genie = GenieAgent');
    const text = edit(project, AGENT, line, AGENT.split('\n')[line].length, '  # per request');
    await assertSameAsFresh(project, text, 'an end-of-line comment');
  });

  it('blank lines inside a string or after a backslash are content: analysed again, same results', async () => {
    const project = await opened();
    const before = interpretation(project);
    // A blank line added inside the triple-quoted PROMPT changes the string.
    let text = edit(project, AGENT, lineOf(AGENT, 'Use the tools.'), 0, '\n');
    await assertSameAsFresh(project, text, 'a blank line inside a string');
    assert.notEqual(interpretation(project), before);
    const mid = interpretation(project);
    text = edit(project, text, lineOf(text, 'Use the tools.') - 1, 0, '   ');
    await assertSameAsFresh(project, text, 'spaces on a blank line inside a string');
    assert.notEqual(interpretation(project), mid);
  });

  it('two statements on one line keep their columns when the first one is edited', async () => {
    const project = await opened();
    const line = lineOf(AGENT, 'mlflow.models.set_model');
    let text = edit(project, AGENT, line, 0, 'x = 1; ');
    await assertSameAsFresh(project, text, 'a statement put before set_model on its line');
    text = edit(project, text, line, 4, '22');
    await assertSameAsFresh(project, text, 'the first statement edited');
  });

  it('random edits of spaces, comments, new lines and code match a fresh analysis after every one', async () => {
    const project = await opened();
    let text = AGENT;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = [' ', '    ', '#', '# note', '\n', '\n    ', 'x', ';', '"', '(', ')', '\\', 'pass', '\t'];
    for (let i = 0; i < 120; i++) {
      const lines = text.split('\n');
      const line = random(lines.length);
      const character = random(lines[line].length + 1);
      const remove = random(4) === 0 ? Math.min(2, lines[line].length - character) : 0;
      text = edit(project, text, line, character, pieces[random(pieces.length)], remove);
      const fresh = await analyse({ [FILE]: text });
      assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE), `edit ${i} at ${line}:${character}`);
    }
  });

  it('an edit inside one function re-evaluates what it reaches, not the rest of the file', async () => {
    const helpers = Array.from(
      { length: 6 },
      (_, i) =>
        `def helper_${i}(text):\n    return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())\n`,
    ).join('\n\n');
    const text = `${AGENT}\n\n${helpers}`;
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    const eventsOf = (name: string) =>
      (project as unknown as { analyse(): { events: { fn: { name: string } }[] } })
        .analyse()
        .events.filter((e) => e.fn.name === name);
    const kept = eventsOf('helper_1');
    const edited = eventsOf('helper_4');
    assert.ok(kept.length && edited.length);
    const line = text.split('\n').findIndex((l) => l.startsWith('def helper_4'));
    const next = edit(project, text, line + 1, 4, 'x = text\n    ');
    await assertSameAsFresh(project, next, 'a statement added to helper_4', 1);
    assert.ok(
      eventsOf('helper_1').every((e, i) => e === kept[i]),
      'helper_1 was not evaluated again',
    );
    assert.notEqual(eventsOf('helper_4')[0], edited[0], 'helper_4 was');
  });
});
