// Deploy orchestration end to end: real SDK + real HTTP to the emulator + a real python3 log/register step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploy, DeployError, type DeployOptions, type DeployStep } from '../../client/src/databricks/deploy';
import { MemoryLog } from '../../client/src/databricks/redact';
import { BOB_TOKEN } from '../emulator/emulator';
import type { LoggedRequest } from '../emulator/state';
import { plan, stdlibLogStep } from './fixtures';
import { session, useEmulator } from './helpers';

const ENDPOINT = 'agents_main-agents-bot';

describe('deploy', () => {
  // Every test starts from the emulator's own seed, without listeners left by the one before.
  const env = useEmulator({});

  function run(
    over: Partial<DeployOptions> & {
      token?: string;
      timeoutMs?: number;
      retrySeconds?: number;
      onProgress?: (s: DeployStep, m: string) => void;
    } = {},
  ) {
    const s = session(env.url, over.token, { timeoutMs: over.timeoutMs, retrySeconds: over.retrySeconds });
    const log = new MemoryLog();
    const steps: [DeployStep, string][] = [];
    const controller = new AbortController();
    const opts: DeployOptions = {
      session: s,
      plan: plan(),
      logStep: stdlibLogStep(s, log),
      log,
      signal: controller.signal,
      pollIntervalMs: 10,
      progress: (step, m) => {
        steps.push([step, m]);
        over.onProgress?.(step, m);
      },
      ...over,
    };
    return { promise: deploy(opts), log, steps, controller, session: s };
  }

  async function failure(p: Promise<unknown>): Promise<DeployError> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof DeployError, `expected DeployError, got ${String(e)}`);
      assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
      return e;
    }
    assert.fail('deploy should have failed');
  }

  it('logs, registers, creates the endpoint and waits until READY', async () => {
    const r = run();
    const res = await r.promise;
    assert.equal(res.endpointName, ENDPOINT);
    assert.equal(res.servedEntityName, 'main-agents-bot_1');
    assert.equal(res.version, '1');
    assert.equal(res.created, true);
    assert.equal(res.endpointUrl, `${env.url}/ml/endpoints/${ENDPOINT}`);
    const ep = env.emu.state.endpoints.get(ENDPOINT)!;
    assert.deepEqual(ep.state, { ready: 'READY', config_update: 'NOT_UPDATING' });
    const entity = ep.config!.served_entities[0];
    assert.equal(entity.scale_to_zero_enabled, true);
    assert.equal(entity.environment_vars?.ENABLE_MLFLOW_TRACING, 'true');
    assert.equal(entity.environment_vars?.RETURN_REQUEST_ID_IN_RESPONSE, 'true');
    assert.match(entity.environment_vars?.MLFLOW_EXPERIMENT_ID ?? '', /^\d+$/);
    assert.deepEqual(
      ep.tags.find((t) => t.key === 'obo_agents.user_scopes')?.value,
      'serving.serving-endpoints,sql.statement-execution',
    );
    assert.deepEqual((ep.ai_gateway as { inference_table_config: unknown }).inference_table_config, {
      enabled: true,
      catalog_name: 'main',
      schema_name: 'agents',
      table_name_prefix: 'bot',
    });
    const experiment = [...env.emu.state.experiments.values()].find(
      (e) => e.name === '/Users/alice@example.com/obo-agents-bot',
    );
    assert.ok(experiment, 'experiment created under the deploying user');
    const run0 = [...env.emu.state.runs.values()][0];
    assert.equal(run0.info.status, 'FINISHED');
    assert.match(
      run0.data.tags.find((t) => t.key === 'obo_agents.auth_policy')?.value ?? '',
      /databricks-claude-sonnet-4-5/,
    );
    assert.deepEqual(
      r.steps.map(([s]) => s).filter((s, i, a) => a.indexOf(s) === i),
      ['log', 'verify', 'serve', 'wait', 'done'],
    );
  });

  it('updates the same endpoint with the next version on a second deploy', async () => {
    await run().promise;
    const res = await run().promise;
    assert.equal(res.version, '2');
    assert.equal(res.created, false);
    const ep = env.emu.state.endpoints.get(ENDPOINT)!;
    assert.equal(ep.config!.config_version, 2);
    assert.deepEqual(
      ep.config!.served_entities.map((e) => e.name),
      ['main-agents-bot_2'],
    );
  });

  describe('cancel', () => {
    it('during log/register kills Python and leaves no endpoint', async () => {
      await env.ctl.fault({ route: 'experiments/get-by-name', delayMs: 20_000 });
      const t0 = Date.now();
      const r = run({
        onProgress: (s, m) => s === 'log' && m.startsWith('experiment') && r.controller.abort(),
      });
      const e = await failure(r.promise);
      assert.equal(e.step, 'log');
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /no endpoint was changed/);
      assert.ok(Date.now() - t0 < 10_000, 'the Python process was killed, not waited for');
      assert.equal(env.emu.state.endpoints.size, 0);
      await env.ctl.clearFaults();
      assert.equal((await run().promise).version, '1');
    });

    it('while checking the version', async () => {
      await env.ctl.fault({ route: '/api/2.1/unity-catalog/models/.*/versions/', delayMs: 20_000 });
      const r = run({ onProgress: (s) => s === 'verify' && r.controller.abort() });
      const e = await failure(r.promise);
      assert.equal(e.step, 'verify');
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /Version 1 is registered but no endpoint was changed/);
    });

    it('while sending the endpoint config, and the next deploy picks up', async () => {
      await env.ctl.fault({ route: '^/api/2.0/serving-endpoints$', method: 'POST', delayMs: 20_000 });
      const r = run();
      env.emu.events.on(
        'request',
        (q: LoggedRequest) =>
          q.method === 'POST' && q.path === '/api/2.0/serving-endpoints' && r.controller.abort(),
      );
      const e = await failure(r.promise);
      assert.equal(e.step, 'serve');
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /Deploying again picks up/);
      const res = await run().promise;
      assert.equal(res.version, '2');
      assert.equal(env.emu.state.endpoints.get(ENDPOINT)?.state.ready, 'READY');
    });

    it('during the wait stops waiting and says the deployment continues', async () => {
      await env.ctl.seed({ options: { settleAfterPolls: 0 } });
      const r = run({
        onProgress: (s, m) => s === 'wait' && m.includes('s, DEPLOYMENT_CREATING') && r.controller.abort(),
      });
      const e = await failure(r.promise);
      assert.equal(e.step, 'wait');
      assert.equal(e.kind, 'cancelled');
      assert.match(e.message, /The deployment continues on Databricks/);
      assert.match(e.message, /Deployments view/);
      assert.equal(
        env.emu.state.endpoints.get(ENDPOINT)?.state.config_update,
        'IN_PROGRESS',
        'still deploying',
      );
      await env.ctl.advance(ENDPOINT);
      await env.ctl.seed({ options: { settleAfterPolls: 2 } });
      assert.equal((await run().promise).version, '2');
    });
  });

  describe('faults', () => {
    it('500 on create: clear message, then the next deploy recovers', async () => {
      await env.ctl.fault({ route: '^/api/2.0/serving-endpoints$', method: 'POST', status: 500 });
      const e = await failure(run().promise);
      assert.equal(e.step, 'serve');
      assert.equal(e.kind, 'server');
      assert.match(
        e.message,
        /Creating or updating endpoint agents_main-agents-bot failed: Databricks answered 500 INTERNAL_ERROR/,
      );
      assert.match(e.message, /Version 1 of main\.agents\.bot is registered/);
      assert.match(e.message, /Try again/);
      const res = await run().promise;
      assert.equal(res.created, true);
      assert.equal(env.emu.state.endpoints.get(ENDPOINT)?.state.ready, 'READY');
    });

    it('one 429 is retried by the SDK and the deploy succeeds', async () => {
      await env.ctl.fault({
        route: '/serving-endpoints/agents_main-agents-bot$',
        method: 'GET',
        status: 429,
      });
      const res = await run().promise;
      assert.equal(res.version, '1');
      const gets = (await env.ctl.requests()).filter((q) => q.path.endsWith(ENDPOINT) && q.method === 'GET');
      assert.deepEqual(
        gets.slice(0, 2).map((q) => q.status),
        [429, 404],
        'the existence check was rate-limited once, then retried',
      );
    });

    it('429 that never stops: rate-limit message, then recovery', async () => {
      await env.ctl.fault({
        route: '^/api/2.0/serving-endpoints/agents_main-agents-bot$',
        method: 'GET',
        status: 429,
        times: -1,
      });
      const e = await failure(run({ retrySeconds: 1 }).promise);
      assert.equal(e.step, 'serve');
      assert.equal(e.kind, 'rateLimit');
      assert.match(e.message, /429/);
      assert.match(e.message, /Wait a minute and try again/);
      await env.ctl.clearFaults();
      assert.equal((await run().promise).created, true);
    });

    it('a 409 because another update started meanwhile: waits for it, then applies the new version', async () => {
      await run().promise;
      await env.ctl.fault({
        route: '/config$',
        method: 'PUT',
        status: 409,
        body: { error_code: 'RESOURCE_CONFLICT', message: 'Endpoint is currently updating.' },
      });
      const r = run();
      const res = await r.promise;
      assert.equal(res.version, '2');
      assert.ok(r.log.lines.some((l) => l.includes('is busy (409)')));
      const puts = (await env.ctl.requests()).filter((q) => q.method === 'PUT' && q.path.endsWith('/config'));
      assert.deepEqual(
        puts.map((q) => q.status),
        [409, 200],
      );
    });

    it('a request that times out: timeout message, then recovery', async () => {
      await run().promise;
      await env.ctl.fault({ route: '/config$', method: 'PUT', delayMs: 3000 });
      const e = await failure(run({ timeoutMs: 300 }).promise);
      assert.equal(e.step, 'serve');
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /no answer within 0 s|no answer within/);
      await env.ctl.clearFaults();
      const res = await run().promise;
      assert.equal(
        env.emu.state.endpoints.get(ENDPOINT)?.config?.served_entities[0].entity_version,
        res.version,
      );
    });

    it('a failed build: message with the build log line, old config kept, next deploy recovers', async () => {
      await run().promise;
      await env.ctl.fault({
        route: '',
        deployFailure: 'Could not find a version that satisfies the requirement langgraph==99',
      });
      const e = await failure(run().promise);
      assert.equal(e.step, 'wait');
      assert.match(e.message, /UPDATE_FAILED/);
      assert.match(e.message, /langgraph==99/);
      assert.match(e.message, /still serves its previous configuration/);
      assert.match(e.buildLogs ?? '', /ERROR: Could not find a version/);
      const ep = env.emu.state.endpoints.get(ENDPOINT)!;
      assert.equal(ep.config?.served_entities[0].entity_version, '1');
      const res = await run().promise;
      assert.equal(res.version, '3');
      assert.deepEqual(env.emu.state.endpoints.get(ENDPOINT)?.state, {
        ready: 'READY',
        config_update: 'NOT_UPDATING',
      });
    });

    it('a first deploy that fails leaves a NOT_READY endpoint the next deploy updates', async () => {
      await env.ctl.fault({ route: '', deployFailure: 'ImportError: no module named agent_tools' });
      const e = await failure(run().promise);
      assert.match(e.message, /The endpoint is not ready/);
      assert.equal(env.emu.state.endpoints.get(ENDPOINT)?.state.config_update, 'UPDATE_FAILED');
      const res = await run().promise;
      assert.equal(res.created, false);
      assert.equal(env.emu.state.endpoints.get(ENDPOINT)?.state.ready, 'READY');
    });

    it('an endpoint deleted while waiting: says so instead of polling on', async () => {
      await env.ctl.seed({ options: { settleAfterPolls: 0 } });
      let deleted = false;
      const r = run({
        onProgress: (s, m) => {
          if (s === 'wait' && m.includes('DEPLOYMENT_CREATING') && !deleted) {
            deleted = true;
            void r.session.client.servingEndpoints.delete({ name: ENDPOINT });
          }
        },
      });
      const e = await failure(r.promise);
      assert.equal(e.kind, 'notFound');
      assert.match(e.message, /was deleted meanwhile.*Deploy again to create it/);
      await env.ctl.seed({ options: { settleAfterPolls: 2 } });
      assert.equal((await run().promise).created, true);
    });

    it('a user without CREATE_MODEL: the register step says permission denied', async () => {
      const e = await failure(run({ token: BOB_TOKEN }).promise);
      assert.equal(e.step, 'log');
      assert.match(e.message, /PERMISSION_DENIED/);
      assert.match(e.message, /No endpoint was changed/);
    });

    it('a bad token: clear message before anything runs', async () => {
      const e = await failure(run({ token: 'dapi00000000000000000000000000000000' }).promise);
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /rejected the token as invalid or expired/);
      assert.match(e.message, /Select Databricks Profile/);
      assert.equal(env.emu.state.runs.size, 0);
    });

    it('a missing Python: says which interpreter and how to pick another', async () => {
      const r = run();
      const e = await failure(
        run({ logStep: stdlibLogStep(r.session, r.log, '/nonexistent/python3') }).promise,
      );
      assert.equal(e.kind, 'python');
      assert.match(e.message, /could not start Python "\/nonexistent\/python3"/);
      assert.match(e.message, /oboAgents\.python\.interpreter/);
      await r.promise;
    });
  });
});
