// The emulator itself, through the real SDK over real HTTP: auth, state machine, 409, invocations, request log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '@databricks/sdk-experimental';
import { BOB_TOKEN } from '../emulator/emulator';
import { session, useEmulator } from './helpers';

const MODEL = 'main.agents.bot';

describe('emulator', () => {
  const env = useEmulator({
    models: [{ full_name: MODEL, versions: [{ version: 1 }, { version: 2, task: 'agent/v2/chat' }] }],
  });

  const create = (s = session(env.url), version = '1') =>
    s.client.servingEndpoints.create({
      name: 'ep',
      config: {
        name: 'ep',
        served_entities: [
          {
            entity_name: MODEL,
            entity_version: version,
            workload_size: 'Small',
            scale_to_zero_enabled: true,
          },
        ],
      },
    });

  it('answers a missing credential with 401 and a bad token with numeric 403', async () => {
    const none = await fetch(`${env.url}/api/2.0/preview/scim/v2/Me`);
    assert.equal(none.status, 401);
    assert.match(((await none.json()) as { message: string }).message, /Credential was not sent/);
    await assert.rejects(session(env.url, 'dapi-not-a-real-token').client.currentUser.me(), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.statusCode, 403);
      assert.equal(e.errorCode, 403);
      assert.equal(e.message, 'Invalid access token.');
      return true;
    });
  });

  it('moves a new endpoint NOT_READY/IN_PROGRESS to READY/NOT_UPDATING after polls, 409 in between', async () => {
    const s = session(env.url);
    const created = await create(s);
    assert.deepEqual(created.state, { ready: 'NOT_READY', config_update: 'IN_PROGRESS' });
    assert.equal(created.pending_config?.served_entities?.[0].name, 'bot-1');
    assert.equal(created.pending_config?.traffic_config?.routes?.[0].traffic_percentage, 100);
    assert.equal(created.config, undefined);
    await assert.rejects(
      s.client.servingEndpoints.updateConfig({
        name: 'ep',
        served_entities: [{ entity_name: MODEL, entity_version: '2' }],
      }),
      (e: unknown) => e instanceof ApiError && e.statusCode === 409 && e.errorCode === 'RESOURCE_CONFLICT',
    );
    assert.equal((await s.client.servingEndpoints.get({ name: 'ep' })).state?.ready, 'NOT_READY');
    const ready = await s.client.servingEndpoints.get({ name: 'ep' });
    assert.deepEqual(ready.state, { ready: 'READY', config_update: 'NOT_UPDATING' });
    assert.equal(ready.config?.served_entities?.[0].state?.deployment, 'DEPLOYMENT_READY');
    assert.equal(ready.pending_config, undefined);
  });

  it('refuses a duplicate endpoint, an unknown model version and a bad workload size', async () => {
    await create();
    await assert.rejects(
      create(),
      (e: unknown) =>
        e instanceof ApiError && e.statusCode === 409 && e.errorCode === 'RESOURCE_ALREADY_EXISTS',
    );
    const s = session(env.url);
    await assert.rejects(
      s.client.servingEndpoints.create({
        name: 'ep2',
        config: { name: 'ep2', served_entities: [{ entity_name: MODEL, entity_version: '9' }] },
      }),
      (e: unknown) => e instanceof ApiError && e.statusCode === 404,
    );
    await assert.rejects(
      s.client.servingEndpoints.create({
        name: 'ep3',
        config: {
          name: 'ep3',
          served_entities: [{ entity_name: MODEL, entity_version: '1', workload_size: 'Huge' }],
        },
      }),
      (e: unknown) =>
        e instanceof ApiError && e.statusCode === 400 && e.errorCode === 'INVALID_PARAMETER_VALUE',
    );
  });

  it('keeps the old config and READY when an update fails, and shows the failure in build logs', async () => {
    const s = session(env.url);
    await create(s);
    await env.ctl.advance('ep');
    await env.ctl.fault({ route: '', deployFailure: 'pip could not resolve numpy==0.0' });
    await s.client.servingEndpoints.updateConfig({
      name: 'ep',
      served_entities: [{ name: 'bot-2', entity_name: MODEL, entity_version: '2' }],
    });
    await env.ctl.advance('ep');
    const ep = await s.client.servingEndpoints.get({ name: 'ep' });
    assert.deepEqual(ep.state, { ready: 'READY', config_update: 'UPDATE_FAILED' });
    assert.equal(ep.config?.served_entities?.[0].name, 'bot-1');
    const logs = await s.client.servingEndpoints.buildLogs({ name: 'ep', served_model_name: 'bot-2' });
    assert.match(logs.logs ?? '', /ERROR: pip could not resolve numpy==0\.0/);
  });

  it('answers invocations as the calling user, in both agent shapes, streaming or not', async () => {
    const s = session(env.url);
    await create(s);
    await env.ctl.advance('ep');
    const bob = session(env.url, BOB_TOKEN);
    const out = (await bob.client.apiClient.request({
      path: '/serving-endpoints/ep/invocations',
      method: 'POST',
      headers: new Headers({ 'Content-Type': 'application/json' }),
      raw: false,
      payload: {
        input: [{ role: 'user', content: 'hi' }],
        custom_inputs: { x: 1 },
        databricks_options: { return_trace: true },
      },
    })) as {
      output: { content: { text: string }[] }[];
      custom_outputs: Record<string, unknown>;
      databricks_output: { trace: unknown };
    };
    assert.match(out.output[0].content[0].text, /bob@example\.com/);
    assert.deepEqual(out.custom_outputs, { x: 1, invoker: 'bob@example.com' });
    assert.ok(out.databricks_output.trace);
    await assert.rejects(
      bob.client.apiClient.request({
        path: '/serving-endpoints/ep/invocations',
        method: 'POST',
        headers: new Headers({}),
        raw: false,
        payload: { messages: [{ role: 'user', content: 'hi' }] },
      }),
      (e: unknown) => e instanceof ApiError && e.statusCode === 400,
    );
  });

  it('logs requests with the Authorization header redacted', async () => {
    const s = session(env.url);
    await s.client.currentUser.me();
    const reqs = await env.ctl.requests();
    const me = reqs.find((r) => r.path.endsWith('/Me'));
    assert.equal(me?.headers.authorization, 'Bearer <redacted>');
    assert.equal(me?.user, 'alice@example.com');
    assert.ok(!JSON.stringify(reqs).includes('dapi0a11ce'));
  });

  it('injects 500 once, then serves normally', async () => {
    await env.ctl.fault({ route: '/scim/v2/Me$', status: 500 });
    const s = session(env.url);
    await assert.rejects(
      s.client.currentUser.me(),
      (e: unknown) => e instanceof ApiError && e.statusCode === 500,
    );
    assert.equal((await s.client.currentUser.me()).userName, 'alice@example.com');
  });

  it('answers unknown routes with 404 ENDPOINT_NOT_FOUND and bad JSON with 400', async () => {
    const r = await fetch(`${env.url}/api/2.0/nothing`, { headers: { Authorization: 'Bearer x' } });
    assert.equal(r.status, 404);
    assert.equal(((await r.json()) as { error_code: string }).error_code, 'ENDPOINT_NOT_FOUND');
    const b = await fetch(`${env.url}/api/2.0/serving-endpoints`, {
      method: 'POST',
      body: '{',
      headers: { Authorization: 'Bearer x' },
    });
    assert.equal(b.status, 400);
  });
});
