// Random edit streams inside classes (methods typed into, renamed, added, deleted, decorated; attributes; bases; the nested class): each step's findings, reports and index equal a fresh analysis, and the class is kept through most of them.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import { classIdOf, funcIdOf } from '../../server/src/analyser/engine/program';
import type { Project, TextChange } from '../../server/src/analyser/project';
import { Rng } from '../fuzz/prng';
import { analyse, py, summary } from './helpers';
import { applyTo, endOf, FILE, FILLERS, inverse, keptClasses, keptModule } from './classEdits';

const AGENT = py`
  import functools

  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain.genie import GenieAgent
  from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
  from mlflow.pyfunc import ResponsesAgent

  SPACE = "01f0c0ffee"


  class Base:
      LIMIT = 3

      def _client(self):
          return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      def _space(self):
          return SPACE


  class Agent(Base, ResponsesAgent):
      """An agent whose code lives in its class."""

      ENDPOINT = "databricks-claude"

      class Config:
          retries = 2

          def timeout(self):
              return 30

      def __init__(self):
          self.cached = None
          self.names = []

      @staticmethod
      def tidy(text):
          return text.strip()

      @property
      def endpoint(self):
          return self.ENDPOINT

      @functools.lru_cache(maxsize=1)
      def shared(self):
          return self._client()

      def _genie(self, client):
          return GenieAgent(self._space(), client=client)

      def _query(self, client, text):
          return client.serving_endpoints.query(name=self.endpoint, input=self.tidy(text))

      def predict(self, request):
          client = self._client()
          answer = self._genie(client).invoke(str(request))
          return self._query(client, str(answer))

  ${FILLERS}


  mlflow.models.set_model(Agent())
  mlflow.pyfunc.log_model(
      name="agent",
      python_model="agent.py",
      auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["serving.serving-endpoints"])),
  )
`;

/** Statements typed into a method body: user clients, self attributes, calls through self, the nested class. */
const STATEMENTS = [
  'self.cached = self._client()',
  'self.names.append(self.shared())',
  'return self._client().serving_endpoints.query(name=self.ENDPOINT, input="x")',
  'x = self.Config().timeout() + self.LIMIT',
  'g = GenieAgent(SPACE, client=self.shared())',
  'self.tidy(self.endpoint)',
  'self.extra = WorkspaceClient()',
  'return self.extra',
  'return self._genie(self.cached)',
  'return self._genie(self.user)',
  'self.cached = [self._client(), self.shared()]',
  'self.names.append(self._genie(self.shared()))',
  'return [self.shared(), self._client()]',
  'return GenieAgent(SPACE, **{"client": self.shared()})',
  'Agent.kept = self.shared()',
];
/** Class attributes: data methods read, a user client built while the class body runs, a name a method also has. */
const ATTRIBUTES = [
  '    ENDPOINT = "other"',
  '    LIMIT = 5',
  '    shared = None',
  '    user = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
];
const NAMES = ['predict', '_client', '_space', '_genie', 'shared', 'extra', 'endpoint', 'tidy', '__init__'];
const DECORATORS = ['@staticmethod', '@property', '@functools.lru_cache(maxsize=1)', '@classmethod'];
const BASES = ['(Base, ResponsesAgent)', '(ResponsesAgent)', '(Base)', '(ResponsesAgent, Base)', '()'];
const PIECES = [' ', 'x', '(', ')', ':', '"', '.', 'self', '\n        ', '#', ','];

const indentOf = (l: string) => l.length - l.trimStart().length;

/** The lines inside a class (after its `class` line, up to the next top-level line). */
function classLines(lines: string[]): number[] {
  const out: number[] = [];
  let inside = false;
  lines.forEach((l, i) => {
    if (l.trim() && indentOf(l) === 0) {
      inside = l.startsWith('class ');
    } else if (inside && l.trim()) {
      out.push(i);
    }
  });
  return out;
}

/** The methods (defs with their decorators) directly in a class body: their lines [from, to). */
function methodsOf(lines: string[], inClass: number[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const i of inClass) {
    const l = lines[i];
    if (indentOf(l) !== 4 || !/^\s*(@|(async )?def )/.test(l) || lines[i - 1].trimStart().startsWith('@')) {
      continue;
    }
    let to = i + 1;
    while (
      to < lines.length &&
      (!lines[to].trim() || indentOf(lines[to]) > 4 || lines[to - 1].trim().startsWith('@'))
    ) {
      to++;
    }
    while (to > i + 1 && !lines[to - 1].trim()) {
      to--;
    }
    out.push({ from: i, to });
  }
  return out;
}

/** One random edit inside the classes, as the editor sends it: a single change (a key typed, or whole lines). */
function randomEdit(rng: Rng, text: string): TextChange {
  const lines = text.split('\n');
  const at = (line: number, character = 0) => ({ line, character });
  const replace = (from: number, to: number, with_: string[]): TextChange => ({
    range: { start: at(from), end: at(to) },
    text: with_.map((l) => `${l}\n`).join(''),
  });
  const inClass = classLines(lines);
  const defs = inClass.filter((i) => /^ {4}(async )?def \w+/.test(lines[i]));
  const methods = methodsOf(lines, inClass);
  const kind = rng.int(10);
  if (kind === 0 && defs.length) {
    // Rename a method (maybe onto another one's name).
    const i = rng.pick(defs);
    const m = /def (\w+)/.exec(lines[i]) as RegExpExecArray;
    const start = lines[i].indexOf(m[1]);
    return { range: { start: at(i, start), end: at(i, start + m[1].length) }, text: rng.pick(NAMES) };
  }
  if (kind === 1 && methods.length) {
    // Delete a method, decorators and all.
    const m = rng.pick(methods);
    return replace(m.from, m.to, []);
  }
  if (kind === 2 && methods.length) {
    // Add a method after another one.
    const m = rng.pick(methods);
    return replace(m.to, m.to, [
      '',
      `    def ${rng.pick(NAMES)}(self, *args):`,
      `        ${rng.pick(STATEMENTS)}`,
    ]);
  }
  if (kind === 3 && defs.length) {
    // Put a decorator on a def, or take one off.
    const i = rng.pick(defs);
    return lines[i - 1].trimStart().startsWith('@')
      ? replace(i - 1, i, [])
      : replace(i, i, [`    ${rng.pick(DECORATORS)}`]);
  }
  if (
    kind === 4 &&
    lines.some((l) => l.startsWith('class Agent')) &&
    lines.some((l) => l.startsWith('class Base'))
  ) {
    // Edit the bases of a class.
    const name = rng.pick(['class Agent', 'class Base']);
    const i = lines.findIndex((l) => l.startsWith(name));
    const open = lines[i].indexOf('(');
    const end = lines[i].lastIndexOf(':');
    return {
      range: { start: at(i, open < 0 ? end : open), end: at(i, end) },
      text: rng.pick(BASES),
    };
  }
  if (kind === 5 && methods.length) {
    // A class attribute added (or another bound) between members.
    const i = rng.pick(methods).from;
    return replace(i, i, [rng.pick(ATTRIBUTES)]);
  }
  if (kind <= 8 && defs.length) {
    // A statement typed into a method body (or the nested class's method), a line of its own.
    const bodies = inClass.filter((i) => indentOf(lines[i]) >= 8 && !/^\s*(def|@|class)/.test(lines[i]));
    const i = rng.pick(bodies.length ? bodies : inClass);
    return replace(i, i, [' '.repeat(indentOf(lines[i])) + rng.pick(STATEMENTS)]);
  }
  // A key typed anywhere in a class (often a syntax error, which takes the other paths).
  const i = rng.pick(inClass);
  const character = rng.int(lines[i].length + 1);
  const remove = rng.chance(0.2) ? Math.min(2, lines[i].length - character) : 0;
  return { range: { start: at(i, character), end: at(i, character + remove) }, text: rng.pick(PIECES) };
}

describe('incremental interpretation: edits inside classes', () => {
  for (const seed of [11, 23, 37, 41]) {
    it(`random edits in methods, decorators, bases and attributes match a fresh analysis (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const project = await createProject({ timeBudgetMs: 10_000 });
      project.setDocument({ path: FILE, text: AGENT });
      project.findingsFor(FILE);
      let text = AGENT;
      let keptSteps = 0;
      let steps = 0;
      const step = async (change: TextChange) => {
        const before = keptClasses(project).find((c) => c.name === 'Agent');
        const node = before?.node;
        text = applyTo(text, change);
        project.setDocument({ path: FILE }, [change]);
        const got = project.findingsFor(FILE);
        const fresh = await analyse({ [FILE]: text });
        const what = `step ${steps}: ${JSON.stringify(change)}\n${text}`;
        assert.deepEqual(
          got,
          fresh.of(FILE),
          `${what}\ngot:\n${summary(got)}\nwant:\n${summary(fresh.of(FILE))}`,
        );
        assert.deepEqual(project.agentReports(), fresh.reports, `${what}: agent reports`);
        // The index too, as a fresh index lists it (ids hold positions; the phases start from the methods in order).
        const index = (p: Project) => {
          const mod = keptModule(p);
          return {
            functions: mod?.functions.map(
              (f) =>
                `${funcIdOf(f)} ${f.kind} ${f.outer ? funcIdOf(f.outer) : ''} ${f.cls ? classIdOf(f.cls) : ''}`,
            ),
            classes: mod?.classes.map(
              (c) => `${classIdOf(c)}: ${[...c.methods.values()].map(funcIdOf).join()}`,
            ),
            imports: mod?.importNodes.map((n) => n.start),
          };
        };
        assert.ok(
          index(fresh.project).functions?.length,
          'a kept interpreter holds the module (internals moved?)',
        );
        assert.deepEqual(index(project), index(fresh.project), `${what}: index`);
        // (Kept through a reparse of its statement: a new node, the same class.)
        if (before && keptClasses(project).includes(before) && before.node !== node) {
          keptSteps++;
        }
        steps++;
      };
      while (steps < 150) {
        const change = randomEdit(rng, text);
        const undo = inverse(text, change);
        await step(change);
        // A key typed (often a syntax error) is taken back, and so, now and then, is any edit.
        if (PIECES.includes(change.text) || rng.chance(0.25)) {
          await step(undo);
        }
        if (rng.chance(0.05)) {
          // Back to the start now and then, so the classes keep their members.
          await step({ range: { start: { line: 0, character: 0 }, end: endOf(text) }, text: AGENT });
        }
      }
      // The streams must exercise the kept class, or they would test only the fallback.
      assert.ok(keptSteps > steps / 3, `the Agent class was kept in ${keptSteps} of ${steps} steps`);
    });
  }
});
