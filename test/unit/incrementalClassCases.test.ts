// Edits inside a kept class, case by case: `__init__` coming and going, the class body's names a def sees, values arriving in another order than in a fresh run, and what an edit in one method evaluates again.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { TextChange } from '../../server/src/analyser/project';
import { applyTo, FILE, FILLERS, keptClasses, keptModule } from './classEdits';
import { analyse, py, summary } from './helpers';

describe('incremental interpretation: a kept class, case by case', () => {
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
