// A change re-interprets only the group of modules it can reach (imports, logged agents); every result still equals a
// fresh analysis of the same files.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createProject } from '../../server/src/analyser/analyse';
import type { Event } from '../../server/src/analyser/engine/events';
import type { Project } from '../../server/src/analyser/project';
import { py } from './helpers';

const USER_CLIENT = 'WorkspaceClient(credentials_strategy=ModelServingUserCredentials())';
const IMPORTS = py`
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
`;

/** A shared module that keeps whatever it is given in a module global (OBO102 when a user client arrives). */
const SHARED = py`
  CACHE = []


  def keep(client):
      global CACHE
      CACHE = client
`;

/** An agent whose predict hands a user client to shared.keep (so shared.py, in its scope, reports OBO102). */
const callsKeep = (name: string) =>
  `${IMPORTS}import shared\nfrom mlflow.pyfunc import ResponsesAgent\n\n\nclass ${name}(ResponsesAgent):\n` +
  `    def predict(self, request):\n        shared.keep(${USER_CLIENT})\n        return None\n`;

/** An agent that does not use shared.py (yet). */
const standalone = (name: string) =>
  `${IMPORTS}from mlflow.pyfunc import ResponsesAgent\n\n\nclass ${name}(ResponsesAgent):\n` +
  `    def predict(self, request):\n        return ${USER_CLIENT}.current_user.me()\n`;

/** The events of the last analysis (internal: their identity tells whether a module was interpreted again). */
function eventsIn(project: Project, file: string): Event[] {
  const result = (project as unknown as { analyse(): { events: Event[] } }).analyse();
  return result.events.filter((e) => e.site.mod.path === file);
}

async function build(files: Record<string, string>): Promise<Project> {
  const project = await createProject({ timeBudgetMs: 10_000 });
  for (const [p, text] of Object.entries(files)) {
    project.setDocument({ path: p, text });
  }
  return project;
}

async function assertSameAsFresh(project: Project, files: Record<string, string>): Promise<void> {
  const fresh = await build(files);
  for (const p of Object.keys(files)) {
    assert.deepEqual(project.findingsFor(p), fresh.findingsFor(p), `${p}: same findings as a fresh analysis`);
  }
  assert.deepEqual(project.agentReports(), fresh.agentReports());
}

describe('incremental interpretation by groups of modules', () => {
  it('an edit keeps the interpretation of modules it cannot reach', async () => {
    const files = {
      '/w/a/shared.py': SHARED,
      '/w/a/x.py': callsKeep('X'),
      '/w/b/y.py': standalone('Y'),
    };
    const project = await build(files);
    project.findings();
    const before = eventsIn(project, '/w/a/x.py');
    assert.ok(before.length > 0);
    files['/w/b/y.py'] += '\n\ndef z():\n    return 1\n';
    project.setDocument({ path: '/w/b/y.py', text: files['/w/b/y.py'] });
    await assertSameAsFresh(project, files);
    const after = eventsIn(project, '/w/a/x.py');
    assert.equal(after.length, before.length);
    assert.ok(
      after.every((e, i) => e === before[i]),
      'x.py was not interpreted again',
    );
    // An edit inside the group re-interprets it.
    files['/w/a/shared.py'] += '\n\ndef other():\n    return 2\n';
    project.setDocument({ path: '/w/a/shared.py', text: files['/w/a/shared.py'] });
    await assertSameAsFresh(project, files);
    assert.notEqual(
      eventsIn(project, '/w/a/x.py')[0],
      before[0],
      'x.py imports shared.py: interpreted again',
    );
  });

  it("an edit that starts using another group's module interprets both groups together", async () => {
    const files = {
      '/w/shared.py': SHARED,
      '/w/x.py': callsKeep('X'),
      '/w/y.py': standalone('Y'),
    };
    const project = await build(files);
    const keptInShared = () => project.findingsFor('/w/shared.py').filter((f) => f.code === 'OBO102').length;
    assert.equal(keptInShared(), 1, 'x.py gives shared.keep a user client');
    // y.py now also calls shared.keep: shared.py must still see x.py's client too.
    files['/w/y.py'] = callsKeep('Y');
    project.setDocument({ path: '/w/y.py', text: files['/w/y.py'] });
    await assertSameAsFresh(project, files);
    assert.ok(keptInShared() >= 1);
    // And x.py stops calling it: only y.py's client is left.
    files['/w/x.py'] = standalone('X');
    project.setDocument({ path: '/w/x.py', text: files['/w/x.py'] });
    await assertSameAsFresh(project, files);
  });

  it('a file that appears makes an import resolve: everything is interpreted again', async () => {
    const files: Record<string, string> = { '/w/x.py': callsKeep('X') };
    const project = await build(files);
    assert.equal(project.findingsFor('/w/x.py').filter((f) => f.code === 'OBO102').length, 0);
    files['/w/shared.py'] = SHARED;
    project.setDocument({ path: '/w/shared.py', text: SHARED });
    await assertSameAsFresh(project, files);
    assert.equal(project.findingsFor('/w/shared.py').filter((f) => f.code === 'OBO102').length, 1);
    project.removeDocument('/w/shared.py');
    delete files['/w/shared.py'];
    await assertSameAsFresh(project, files);
  });

  it('random edits, additions and removals across three groups match a fresh analysis after each one', async () => {
    const tools = `${IMPORTS}SCOPE = "sql"\n\n\ndef make():\n    return ${USER_CLIENT}\n`;
    const start: Record<string, string> = {
      '/w/a/shared.py': SHARED,
      '/w/a/x.py': callsKeep('X'),
      '/w/b/y.py': standalone('Y'),
      '/w/c/tools.py': tools,
      '/w/c/agent.py':
        'import mlflow\nimport tools\nfrom mlflow.pyfunc import ResponsesAgent\n\n\nclass A(ResponsesAgent):\n' +
        '    def __init__(self):\n        self.w = tools.make()\n\n    def predict(self, r):\n' +
        '        return self.w.genie.start_conversation("s", "q")\n\n\nmlflow.models.set_model(A())\n',
      '/w/c/driver.py':
        'import mlflow\nimport tools\nfrom mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy\n\n' +
        'mlflow.pyfunc.log_model(name="a", python_model="agent.py", ' +
        'auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=[tools.SCOPE])))\n',
    };
    const pieces = ['\n', ' ', '#', '(', 'import shared\n', 'import tools\n', 'x = tools.make()\n', 'pass\n'];
    for (const seed0 of [1, 2, 3]) {
      const files = { ...start };
      const project = await build(files);
      let seed = seed0;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      for (let step = 0; step < 25; step++) {
        const names = Object.keys(files);
        const file = names[random(names.length)];
        const op = random(8);
        if (op === 0 && names.length > 3) {
          project.removeDocument(file);
          delete files[file];
        } else if (op === 1) {
          // What the shared tools module gives flips: a user client or nothing.
          const t = files['/w/c/tools.py'] ?? tools;
          files['/w/c/tools.py'] = t.includes('return None')
            ? t.replace('return None', `return ${USER_CLIENT}`)
            : t.replace(`return ${USER_CLIENT}`, 'return None');
          project.setDocument({ path: '/w/c/tools.py', text: files['/w/c/tools.py'] });
        } else {
          const lines = files[file].split('\n');
          const line = random(lines.length);
          const character = random(lines[line].length + 1);
          const text = pieces[random(pieces.length)];
          project.setDocument({ path: file }, [
            { range: { start: { line, character }, end: { line, character } }, text },
          ]);
          lines[line] = lines[line].slice(0, character) + text + lines[line].slice(character);
          files[file] = lines.join('\n');
        }
        await assertSameAsFresh(project, files);
      }
    }
  });
});
