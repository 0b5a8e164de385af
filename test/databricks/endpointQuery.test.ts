// Querying a deployed endpoint through the SDK API client: SSE streaming, both shapes, traces, OBO, errors, stop.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TurnTranscript, type PlaygroundEvent } from '../../client/src/databricks/agentEvents';
import { CancelledError } from '../../client/src/databricks/errors';
import { queryEndpoint, type EndpointQuery } from '../../client/src/databricks/endpointQuery';
import { DONE, sseData } from '../../client/src/databricks/sse';
import { BOB_TOKEN } from '../emulator/emulator';
import { session, useEmulator } from './helpers';

async function* chunks(...parts: string[]) {
  for (const p of parts) {
    yield new TextEncoder().encode(p);
  }
}

async function collect(parts: string[]) {
  const out: (string | typeof DONE)[] = [];
  for await (const d of sseData(chunks(...parts))) {
    out.push(d);
  }
  return out;
}

describe('SSE parsing', () => {
  it('joins data lines, ignores comments and event names, survives split chunks and CRLF', async () => {
    assert.deepEqual(
      await collect([': keepalive\n\nevent: x\nda', 'ta: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\n']),
      ['{"a":1}', 'line1\nline2'],
    );
  });
  it('stops at [DONE] and accepts a stream without it', async () => {
    assert.deepEqual(await collect(['data: 1\n\ndata: [DONE]\n\ndata: 2\n\n']), ['1', DONE]);
    assert.deepEqual(await collect(['data: 1\n\ndata: 2']), ['1', '2']);
  });
});

describe('query endpoint', () => {
  const env = useEmulator({
    models: [
      { full_name: 'main.agents.resp', versions: [{ version: 1 }] },
      { full_name: 'main.agents.chat', versions: [{ version: 1, task: 'agent/v2/chat' }] },
    ],
    principals: [{ token: 'dapi' + 'c'.repeat(32), userName: 'carol@example.com', grants: ['CAN_VIEW'] }],
  });
  // Runs after the reset and seed: both endpoints deployed and ready.
  beforeEach(async () => {
    const s = session(env.url);
    for (const m of ['resp', 'chat']) {
      await s.client.servingEndpoints.create({
        name: m,
        config: {
          name: m,
          served_entities: [
            {
              entity_name: `main.agents.${m}`,
              entity_version: '1',
              workload_size: 'Small',
              scale_to_zero_enabled: true,
            },
          ],
        },
      });
      await env.ctl.advance(m);
    }
  });

  async function ask(
    q: Partial<EndpointQuery> & { endpoint: string },
    token = BOB_TOKEN,
    signal = new AbortController().signal,
    on?: (e: PlaygroundEvent) => void,
  ) {
    const t = new TurnTranscript();
    const events: PlaygroundEvent[] = [];
    const out = await queryEndpoint(
      session(env.url, token),
      { messages: [{ role: 'user', content: 'use a tool please' }], stream: true, returnTrace: true, ...q },
      signal,
      (e) => {
        events.push(e);
        t.apply(e);
        on?.(e);
      },
    );
    return { t, out, events };
  }

  it('streams a ResponsesAgent answer as the calling user, with tool steps, custom outputs and the trace', async () => {
    const { t, out, events } = await ask({ endpoint: 'resp', customInputs: { team: 'ml' } });
    assert.equal(out.ok, true);
    assert.equal(out.shape, 'responses');
    assert.deepEqual(out.request, {
      input: [{ role: 'user', content: 'use a tool please' }],
      custom_inputs: { team: 'ml' },
      databricks_options: { return_trace: true },
      stream: true,
    });
    assert.equal(t.text, 'Hello bob@example.com! You said: "use a tool please".');
    assert.ok(events.filter((e) => e.type === 'text').length >= 2, 'several deltas');
    assert.deepEqual(
      [...t.tools.values()].map((x) => [x.name, x.output]),
      [['whoami', '{"userName":"bob@example.com"}']],
    );
    assert.deepEqual(t.customOutputs, { team: 'ml', invoker: 'bob@example.com' });
    assert.ok((t.trace as { info: { trace_id: string } }).info.trace_id.startsWith('tr-'));
    assert.equal(out.servedModel, 'resp-1');
    assert.match(out.requestId ?? '', /^[0-9a-f]{16}$/);
  });

  it('uses the ChatAgent shape for an agent/v2/chat endpoint, streaming or not', async () => {
    for (const stream of [true, false]) {
      const { t, out } = await ask({
        endpoint: 'chat',
        stream,
        returnTrace: false,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: 'again' },
        ],
      });
      assert.equal(out.shape, 'chat');
      assert.ok('messages' in out.request);
      assert.equal(t.text, 'Hello bob@example.com! You said: "again".', `stream=${stream}`);
      assert.equal(t.done, true);
    }
  });

  it('handles a plain (non-streamed) ResponsesAgent answer and a stream without [DONE]', async () => {
    assert.equal(
      (await ask({ endpoint: 'resp', stream: false, messages: [{ role: 'user', content: 'x' }] })).t.text,
      'Hello bob@example.com! You said: "x".',
    );
    await env.ctl.seed({ options: { sendDone: false } });
    assert.equal(
      (await ask({ endpoint: 'resp', messages: [{ role: 'user', content: 'y' }] })).t.text,
      'Hello bob@example.com! You said: "y".',
    );
  });

  it('refuses to query an endpoint that is not ready, saying what to do', async () => {
    const s = session(env.url);
    await s.client.servingEndpoints.updateConfig({
      name: 'resp',
      served_entities: [{ entity_name: 'main.agents.resp', entity_version: '1' }],
    });
    await s.client.servingEndpoints.delete({ name: 'chat' });
    await env.ctl.seed({ options: { settleAfterPolls: 0 } });
    await s.client.servingEndpoints.create({
      name: 'chat',
      config: { name: 'chat', served_entities: [{ entity_name: 'main.agents.chat', entity_version: '1' }] },
    });
    await assert.rejects(
      ask({ endpoint: 'chat' }),
      /Querying chat failed: the endpoint is not ready \(NOT_READY, IN_PROGRESS\)\. Nothing was sent to the agent\. Wait until the Deployments view/,
    );
  });

  it('turns 404, 403 and a wrong shape into clear error events', async () => {
    await assert.rejects(
      ask({ endpoint: 'nope' }),
      /Reading endpoint nope failed: Endpoint with name 'nope' does not exist/,
    );
    const denied = await ask({ endpoint: 'resp' }, 'dapi' + 'c'.repeat(32));
    assert.equal(denied.out.ok, false);
    assert.match(
      denied.t.error?.message ?? '',
      /permission denied \(User carol@example\.com does not have CAN_QUERY/,
    );
    const wrong = await ask({ endpoint: 'resp', shape: 'chat' });
    assert.match(
      wrong.t.error?.message ?? '',
      /expects a non-empty "input" list.*ChatAgent \{messages\} shape/,
    );
  });

  it('rides out one 429 (SDK retry) and reports a 500', async () => {
    await env.ctl.fault({ route: '/invocations$', status: 429 });
    assert.equal((await ask({ endpoint: 'resp' })).out.ok, true);
    await env.ctl.fault({ route: '/invocations$', status: 500 });
    const { t } = await ask({ endpoint: 'resp' });
    assert.match(
      t.error?.message ?? '',
      /Databricks answered 500 INTERNAL_ERROR.*The conversation is unchanged/,
    );
  });

  it('stops a stream half-way when cancelled', async () => {
    await env.ctl.seed({ options: { streamDelayMs: 300 } });
    const controller = new AbortController();
    const t0 = Date.now();
    await assert.rejects(
      ask({ endpoint: 'resp' }, BOB_TOKEN, controller.signal, (e) => e.type === 'text' && controller.abort()),
      CancelledError,
    );
    assert.ok(Date.now() - t0 < 1500, 'did not wait for the rest of the stream');
  });
});
