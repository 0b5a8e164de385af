// The playground controller (history, stop, JSON views, run-as) with real runners, and the Deployments listing.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { endpointLogs, health, listAgentDeployments } from '../../client/src/databricks/deployments';
import {
  PlaygroundController,
  type PlaygroundRunner,
  type ToWebview,
} from '../../client/src/databricks/playgroundController';
import { MemoryLog, Redactor } from '../../client/src/databricks/redact';
import { endpointRunner, localRunner } from '../../client/src/databricks/runners';
import { ALICE_TOKEN, BOB_TOKEN } from '../emulator/emulator';
import { FIXTURES, PYTHON, ROOT, session, useEmulator } from './helpers';

const HARNESS = path.join(ROOT, 'client', 'python', 'harness.py');

describe('playground and deployments', () => {
  const env = useEmulator({
    models: [
      {
        full_name: 'main.agents.bot',
        versions: [{ version: 1 }, { version: 2, failOnDeploy: 'ImportError: langgraph' }],
      },
      { full_name: 'main.llms.gpt', versions: [{ version: 1, task: 'llm/v1/chat' }] },
    ],
  });

  const local = (file: string, token = ALICE_TOKEN, as = 'as alice') =>
    localRunner({
      file: path.join(FIXTURES, 'agents', file),
      python: PYTHON,
      harnessScript: HARNESS,
      env: { DATABRICKS_HOST: env.url, DATABRICKS_TOKEN: token },
      asLabel: as,
      redactor: new Redactor(),
      log: new MemoryLog(),
    });

  function controller(
    runner: PlaygroundRunner,
    pickRunAs?: () => Promise<PlaygroundRunner | undefined>,
    onPost?: (m: ToWebview) => void,
  ) {
    const posted: ToWebview[] = [];
    const shown: [string, unknown][] = [];
    const frames: unknown[] = [];
    const c = new PlaygroundController(
      runner,
      (m) => {
        posted.push(m);
        onPost?.(m);
      },
      {
        openFrame: (f) => frames.push(f),
        showJson: (title, value) => shown.push([title, value]),
        pickRunAs,
      },
    );
    return { c, posted, shown, frames };
  }

  it('keeps the conversation across turns and shows the JSON of each turn', async () => {
    const { c, posted, shown } = controller(local('plain_responses.py'));
    await c.handle({ type: 'ready' });
    assert.equal(posted[0].type, 'init');
    await c.handle({ type: 'send', text: 'first' });
    await c.handle({ type: 'send', text: 'second', customInputs: '{"k": 1}' });
    assert.deepEqual(
      c.history.map((h) => h.content),
      [
        'first',
        'Hello alice@example.com! You said: first',
        'second',
        'Hello alice@example.com! You said: second',
      ],
    );
    assert.deepEqual(
      posted.filter((m) => m.type === 'turnEnd'),
      [
        { type: 'turnEnd', turn: 0, ok: true },
        { type: 'turnEnd', turn: 1, ok: true },
      ],
    );
    await c.handle({ type: 'showJson', turn: 1, which: 'request' });
    const [title, request] = shown[0] as [string, { input: unknown[]; custom_inputs: unknown }];
    assert.equal(title, 'request 2');
    assert.equal(request.input.length, 3, 'history + new message');
    assert.deepEqual(request.custom_inputs, { k: 1 });
    await c.handle({ type: 'showJson', turn: 1, which: 'response' });
    assert.ok(Array.isArray(shown[1][1]) && (shown[1][1] as unknown[]).length >= 5, 'every streamed chunk');
  });

  it('stop kills the turn; the history stays as it was', async () => {
    let firstText!: () => void;
    const streaming = new Promise<void>((resolve) => (firstText = resolve));
    const { c, posted } = controller(
      local('slow_agent.py'),
      undefined,
      (m) => m.type === 'event' && m.event.type === 'text' && firstText(),
    );
    const sent = c.handle({ type: 'send', text: 'wait' });
    await streaming;
    await c.handle({ type: 'stop' });
    await sent;
    assert.deepEqual(posted.at(-2), { type: 'turnEnd', turn: 0, ok: false });
    assert.equal(c.history.length, 0);
    assert.equal(c.busy, false);
  });

  it('refuses bad custom_inputs without running anything, and links traceback frames', async () => {
    const { c, posted, frames } = controller(local('broken_agent.py'));
    await c.handle({ type: 'send', text: 'x', customInputs: '[1]' });
    assert.match(JSON.stringify(posted), /custom_inputs must be a JSON object/);
    assert.equal(c.turns[0].request, undefined);
    await c.handle({ type: 'send', text: 'x' });
    const frame = c.turns[1].transcript.error?.frames?.at(-1);
    assert.ok(frame);
    await c.handle({ type: 'openFrame', file: frame.file, line: frame.line });
    assert.deepEqual(frames, [{ file: frame.file, line: frame.line }]);
  });

  it('switches who the local agent runs as ("Invoke as profile…")', async () => {
    const { c, posted } = controller(local('plain_responses.py'), async () =>
      local('plain_responses.py', BOB_TOKEN, 'as bob'),
    );
    await c.handle({ type: 'runAs' });
    assert.match(JSON.stringify(posted.at(-1)), /as bob/);
    await c.handle({ type: 'send', text: 'hi' });
    assert.equal(c.history[1].content, 'Hello bob@example.com! You said: hi');
  });

  it('queries an endpoint as the calling user, with or without the trace', async () => {
    const s = session(env.url);
    await s.client.servingEndpoints.create({
      name: 'agents_main-agents-bot',
      config: {
        name: 'agents_main-agents-bot',
        served_entities: [{ entity_name: 'main.agents.bot', entity_version: '1' }],
      },
    });
    await env.ctl.advance('agents_main-agents-bot');
    const { c } = controller(endpointRunner(session(env.url, BOB_TOKEN), 'agents_main-agents-bot', 'as bob'));
    await c.handle({ type: 'options', returnTrace: false });
    await c.handle({ type: 'send', text: 'hello' });
    assert.equal(c.history[1].content, 'Hello bob@example.com! You said: "hello".');
    assert.equal((c.turns[0].request as Record<string, unknown>).databricks_options, undefined);
  });

  it('lists only agent endpoints with state, version and scopes, and reads build logs of a failed one', async () => {
    const s = session(env.url);
    const tags = [
      { key: 'obo_agents.user_scopes', value: 'sql.warehouses,dashboards.genie' },
      { key: 'obo_agents.served_entity', value: 'bot-2' },
    ];
    const mk = (name: string, model: string, version: string) =>
      s.client.servingEndpoints.create({
        name,
        config: { name, served_entities: [{ entity_name: model, entity_version: version }] },
        tags,
      });
    await mk('agents_main-agents-bot', 'main.agents.bot', '1');
    await env.ctl.advance('agents_main-agents-bot');
    await mk('gpt', 'main.llms.gpt', '1');
    await env.ctl.advance('gpt');
    await s.client.servingEndpoints.updateConfig({
      name: 'agents_main-agents-bot',
      served_entities: [{ entity_name: 'main.agents.bot', entity_version: '2' }],
    });
    let list = await listAgentDeployments(s);
    assert.deepEqual(
      list.map((d) => [d.name, health(d), d.version, d.scopes]),
      [['agents_main-agents-bot', 'updating', '1', ['sql.warehouses', 'dashboards.genie']]],
    );
    await env.ctl.advance('agents_main-agents-bot');
    list = await listAgentDeployments(s);
    assert.equal(health(list[0]), 'failed');
    assert.equal(list[0].servedEntity, 'bot-1', 'the old entity still serves');
    const logs = await endpointLogs(s, list[0]);
    assert.match(logs, /ERROR: ImportError: langgraph/);
  });
});
