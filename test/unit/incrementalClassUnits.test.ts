// Edits inside classes take the class's kept index and interpreter (its methods' defs are units): every step's findings and reports equal a fresh analysis, and an edit in one method evaluates no unrelated one again.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { ClassInfo, ModuleModel } from '../../server/src/analyser/engine/program';
import type { Project, TextChange } from '../../server/src/analyser/project';
import { Rng } from '../fuzz/prng';
import { analyse, py, summary } from './helpers';

const FILE = '/proj/agent.py';

/** Plain methods that make the class large: a keystroke in a large class reuses its untouched statements. */
const FILLERS = Array.from({ length: 50 }, (_, i) =>
  [`    def filler_${i}(self, text):`, `        return [p.strip() for p in text.split(",")][${i}:]`, ''].join(
    '\n',
  ),
).join('\n');

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

/** The change that takes `change` back, on the text it applies to. */
function inverse(text: string, change: TextChange): TextChange {
  const range = change.range as NonNullable<TextChange['range']>;
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const inserted = change.text.split('\n');
  const end = {
    line: range.start.line + inserted.length - 1,
    character: (inserted.length === 1 ? range.start.character : 0) + inserted[inserted.length - 1].length,
  };
  return { range: { start: range.start, end }, text: text.slice(offset(range.start), offset(range.end)) };
}

function applyTo(text: string, change: TextChange): string {
  const range = change.range as NonNullable<TextChange['range']>;
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + change.text + text.slice(offset(range.end));
}

/** The module the project keeps an interpreter for (internal). */
function keptModule(project: Project): ModuleModel | undefined {
  const kept = (project as unknown as { scheduler?: { interpretation?: { kept?: { mod: ModuleModel } } } })
    .scheduler?.interpretation?.kept;
  return kept?.mod;
}

function keptClasses(project: Project): ClassInfo[] {
  return keptModule(project)?.classes ?? [];
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

  it('a kept class gains, renames and loses its `__init__`: what builds the class finds the one there is', async () => {
    const lines = py`
      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
      from mlflow.pyfunc import ResponsesAgent


      class Agent(ResponsesAgent):
          def predict(self, request):
              return self.client.serving_endpoints.query(name="e", input=str(request))

      ${FILLERS}


      AGENT = Agent(WorkspaceClient(credentials_strategy=ModelServingUserCredentials()))
      mlflow.models.set_model(AGENT)
      mlflow.pyfunc.log_model(
          name="agent",
          python_model="agent.py",
          auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["sql"])),
      )
    `.split('\n');
    const project = await createProject({ timeBudgetMs: 10_000 });
    let text = lines.join('\n');
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    const [cls] = keptClasses(project);
    const at = (line: number, character = 0) => ({ line, character });
    const line = lines.findIndex((l) => l.includes('def filler_0'));
    const seen = new Set<string>();
    for (const change of [
      {
        range: { start: at(line), end: at(line) },
        text: '    def __init__(self, client):\n        self.client = client\n\n',
      },
      { range: { start: at(line, 8), end: at(line, 16) }, text: '__init2__' },
      { range: { start: at(line, 8), end: at(line, 17) }, text: '__init__' },
      { range: { start: at(line), end: at(line + 3) }, text: '' },
    ]) {
      text = applyTo(text, change);
      project.setDocument({ path: FILE }, [change]);
      const fresh = await analyse({ [FILE]: text });
      assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE), `after ${JSON.stringify(change)}`);
      assert.equal(keptClasses(project)[0], cls, 'the class was kept');
      seen.add(
        fresh
          .of(FILE)
          .map((f) => f.code)
          .join(),
      );
    }
    assert.equal(seen.size, 2, 'the findings tell whether `__init__` is there (OBO201 on the query)');
  });

  it("a method def sees its class body's names bound before it, as Python runs the body, also as it comes", async () => {
    const text = py`
      import functools

      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from mlflow.pyfunc import ResponsesAgent


      class Agent(ResponsesAgent):
          def predict(self, request):
              return [self.early(), self.late(), self.last()]

          @memo
          def early(self):
              return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

          memo = functools.cache

          @memo
          def late(self):
              return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

          def later(self, n=(found := functools.cache)):
              return n

          retries = 2

          @found
          def last(self):
              return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

      ${FILLERS}


      mlflow.models.set_model(Agent())
    `;
    const cached = (findings: { code: string; message: string }[]) =>
      findings.filter((f) => f.code === 'OBO102').map((f) => /`Agent\.(\w+)`/.exec(f.message)?.[1]);
    const fresh = await analyse({ [FILE]: text });
    // `early` names `memo` before the body binds it; `last` takes the name a default's walrus bound.
    assert.deepEqual(cached(fresh.of(FILE)), ['late', 'last']);
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    const [cls] = keptClasses(project);
    let now = text;
    // Before `early` (no `memo` yet), after `memo = ...`, after the walrus: only the last two cache.
    const places: [(l: string) => boolean, number, string][] = [
      [(l) => l.includes('def early'), -1, '@memo'],
      [(l) => l.includes('memo = functools.cache'), 2, '@memo'],
      [(l) => l.includes('def filler_3'), 0, '@found'],
    ];
    for (const [k, [where, by, decorator]] of places.entries()) {
      const at = now.split('\n').findIndex(where) + by;
      const change = {
        range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } },
        text: `    ${decorator}\n    def added_${k}(self):\n        return self.late()\n\n`,
      };
      project.setDocument({ path: FILE }, [change]);
      now = applyTo(now, change);
      const want = (await analyse({ [FILE]: now })).of(FILE);
      assert.deepEqual(project.findingsFor(FILE), want, `after ${JSON.stringify(change)}`);
      assert.equal(keptClasses(project)[0], cls, 'the class was kept');
    }
    assert.deepEqual(cached(project.findingsFor(FILE)), ['added_1', 'late', 'last', 'added_2']);
  });

  it('values that arrive in another order after an edit than in a fresh run give the same findings', async () => {
    // `shared` returns the Genie agent, then the client: a fresh run learns them in the order of the functions, an
    // update in the order of the code (`_genie` already answered). Findings name the first in the code, and two of
    // one code at one place come in the order of their messages.
    const text = py`
      import functools

      import mlflow
      from databricks.sdk import WorkspaceClient
      from databricks_ai_bridge import ModelServingUserCredentials
      from databricks_langchain.genie import GenieAgent
      from mlflow.pyfunc import ResponsesAgent


      def _client():
          return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())


      @functools.lru_cache(maxsize=1)
      def shared():
          return _client()


      def _genie(client):
          return GenieAgent("s", client=client)


      class Agent(ResponsesAgent):
          def keep(self):
              Agent.kept = shared()

          def predict(self, request):
              self.keep()
              return _genie(_client()).invoke(str(request))


      mlflow.models.set_model(Agent())
    `;
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    const line = text.split('\n').findIndex((l) => l.includes('return _client()'));
    const change = {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      text: '    return _genie(_client())\n',
    };
    project.setDocument({ path: FILE }, [change]);
    const fresh = await analyse({ [FILE]: applyTo(text, change) });
    assert.equal(fresh.code('OBO102').length, 3, summary(fresh.all));
    assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE));
  });

  it('an edit inside one method evaluates neither the other methods, nor their defs, nor the class body again', async () => {
    const helpers = Array.from({ length: 40 }, (_, i) =>
      [
        `    def helper_${i}(self, text, client=WorkspaceClient()):`,
        '        return WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
      ].join('\n'),
    ).join('\n\n');
    const text = [
      'from databricks.sdk import WorkspaceClient',
      'from databricks_ai_bridge import ModelServingUserCredentials',
      '',
      '',
      'class Helpers:',
      '    shared = WorkspaceClient()',
      '',
      helpers,
      '',
      '',
      'Helpers().helper_0("x")',
      '',
    ].join('\n');
    const project = await createProject({ timeBudgetMs: 10_000 });
    project.setDocument({ path: FILE, text });
    project.findingsFor(FILE);
    type Ev = { fn: { name: string }; site?: { node: { start: number } } };
    const events = () => (project as unknown as { analyse(): { events: Ev[] } }).analyse().events;
    let current = text;
    const lineOf = (e: Ev) => (e.site ? current.slice(0, e.site.node.start).split('\n').length - 1 : -1);
    const lines = text.split('\n');
    const def = (i: number) => lines.findIndex((l) => l.startsWith(`    def helper_${i}`));
    const of = (from: number, to: number) => events().filter((e) => lineOf(e) >= from && lineOf(e) < to);
    // helper_1's def (its default builds a client: an event of the class body's scope) and its body; the class body.
    const kept = {
      header: of(def(1), def(1) + 1),
      body: of(def(1) + 1, def(2)),
      cls: of(0, def(0)),
      called: of(def(0) + 1, def(1)),
    };
    const edited = of(def(4), def(5));
    assert.ok(
      kept.header.length && kept.body.length && kept.cls.length && edited.length,
      'events to compare',
    );
    const [cls] = keptClasses(project);
    const change: TextChange = {
      range: { start: { line: def(4) + 1, character: 8 }, end: { line: def(4) + 1, character: 8 } },
      text: 'x = text\n        ',
    };
    project.setDocument({ path: FILE }, [change]);
    current = applyTo(text, change);
    const fresh = await analyse({ [FILE]: current });
    assert.deepEqual(project.findingsFor(FILE), fresh.of(FILE), 'same findings as a fresh analysis');
    assert.equal(keptClasses(project)[0], cls, 'the class was kept');
    // The class statement, evaluated again in place: the module's call to the class body is from its new node.
    const edge = keptModule(project)?.body.calls.find((e) => e.to === cls.body);
    assert.equal(edge?.site.node, cls.node, 'the class statement calls its body from where it is now');
    const same = (a: Ev[], b: Ev[]) => a.length === b.length && a.every((e, i) => e === b[i]);
    assert.ok(same(of(def(1), def(1) + 1), kept.header), "helper_1's def was not evaluated again");
    assert.ok(same(of(def(1) + 1, def(2)), kept.body), 'helper_1 was not evaluated again');
    assert.ok(same(of(0, def(0)), kept.cls), 'the class body was not evaluated again');
    // (helper_0 is called where the class is used: the class statement kept its unit, so that use stood.)
    assert.ok(same(of(def(0) + 1, def(1)), kept.called), 'helper_0 was not evaluated again');
    const now = of(def(4), def(5) + 1);
    assert.ok(now.length && !now.some((e) => edited.includes(e)), 'helper_4 was');
  });
});

function endOf(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
