// Deploy orchestration without VS Code: log + register (Python), create or update the endpoint (SDK), wait until ready.
import { ApiError, type serving } from '@databricks/sdk-experimental';
import type { DatabricksSession } from './connection';
import { CancelledError, explain, UserFacingError } from './errors';
import type { ModelLogResult, ModelLogStep } from './logStep';
import { endpointPageUrl, invocationsUrl, servedEntityName } from './naming';
import type { DeployPlan } from './plan';
import type { Log } from './redact';

export type DeployStep = 'log' | 'verify' | 'serve' | 'wait' | 'done';

export interface DeployOptions {
  session: DatabricksSession;
  plan: DeployPlan;
  logStep: ModelLogStep;
  log: Log;
  signal: AbortSignal;
  /** Progress for a notification: the increments add up to 100 over a whole deploy. */
  progress(step: DeployStep, message: string, increment?: number): void;
  /** Deploy this existing version instead of logging a new one. */
  existingVersion?: string;
  pollIntervalMs?: number;
  /** Model Serving can take 15 minutes or more. */
  waitTimeoutMs?: number;
  /** The poll errors in a row tolerated while waiting (the deployment goes on regardless). */
  maxPollErrors?: number;
}

export interface DeployResult {
  endpointName: string;
  servedEntityName: string;
  modelName: string;
  version: string;
  created: boolean;
  endpointUrl: string;
  invocationsUrl: string;
  runId?: string;
}

/** A deploy failure tagged with its step; `buildLogs` is filled when Model Serving reported a failed build. */
export class DeployError extends UserFacingError {
  constructor(
    readonly step: DeployStep,
    base: UserFacingError,
    readonly buildLogs?: string,
  ) {
    super(base.kind, base.what, base.why, base.state, base.action, base.status);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(new CancelledError());
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

const INPUT_EXAMPLE = {
  'agent/v1/responses': { input: [{ role: 'user', content: 'Hello!' }] },
  'agent/v2/chat': { messages: [{ role: 'user', content: 'Hello!' }] },
};

export async function deploy(o: DeployOptions): Promise<DeployResult> {
  const { session, plan, signal } = o;
  const r = session.redactor;
  const name = plan.endpointName;
  const full = plan.model.full;
  const fail = (step: DeployStep, e: unknown, what: string, state: string, logs?: string): DeployError =>
    new DeployError(step, explain(e, what, state, r), logs);

  // 2. Log and register.
  let logged: ModelLogResult;
  if (o.existingVersion) {
    logged = { version: o.existingVersion };
  } else {
    o.progress('log', `Logging and registering ${full} with MLflow…`, 5);
    let experiment = plan.experiment;
    try {
      experiment ??= `/Users/${(await session.currentUser(signal)).userName}/obo-agents-${plan.model.name}`;
      logged = await o.logStep.run(
        {
          agentFile: plan.agentFile,
          modelName: full,
          experiment,
          userScopes: plan.userScopes.map((s) => s.scope),
          resources: plan.resources
            .filter((x) => x.name)
            .map((x) => ({ resource: x.resource, name: x.name })),
          task: plan.task,
          inputExample: INPUT_EXAMPLE[plan.task],
        },
        { signal, onProgress: (m) => o.progress('log', m) },
      );
    } catch (e) {
      if (e instanceof CancelledError) {
        throw fail(
          'log',
          e,
          'Logging and registering the model',
          `Cancelled: no endpoint was changed; an MLflow run may be left unfinished in ${experiment ?? 'the experiment'}.`,
        );
      }
      throw e instanceof UserFacingError
        ? new DeployError('log', e)
        : fail('log', e, 'Logging and registering the model', 'No endpoint was changed.');
    }
    o.log.info(`deploy: registered ${full} version ${logged.version} (run ${logged.runId ?? '?'})`);
  }
  const version = logged.version;

  // The registered version must exist and be READY before Model Serving can build it.
  o.progress('verify', `Checking ${full} version ${version} in Unity Catalog…`, 35);
  try {
    for (let i = 0; ; i++) {
      const mv = await session.call(
        (ctx) => session.client.modelVersions.get({ full_name: full, version: Number(version) }, ctx),
        signal,
      );
      if (mv.status === 'READY' || mv.status === undefined) {
        break;
      }
      if (mv.status === 'FAILED_REGISTRATION' || i >= 30) {
        throw new Error(`version ${version} of ${full} is ${mv.status}`);
      }
      await sleep(o.pollIntervalMs ?? 2000, signal);
    }
  } catch (e) {
    throw fail(
      'verify',
      e,
      `Checking ${full} version ${version}`,
      `Version ${version} is registered but no endpoint was changed.`,
    );
  }

  // 3. Create or update the endpoint.
  const entity = servedEntityName(full, version);
  const envVars: Record<string, string> = { ...plan.environmentVars };
  if (logged.experimentId) {
    envVars.MLFLOW_EXPERIMENT_ID = logged.experimentId;
  }
  const served: serving.ServedEntityInput = {
    name: entity,
    entity_name: full,
    entity_version: version,
    workload_size: plan.workloadSize,
    workload_type: 'CPU',
    scale_to_zero_enabled: plan.scaleToZero,
    environment_vars: envVars,
  };
  const tags = [
    ...Object.entries(plan.tags).map(([key, value]) => ({ key, value })),
    { key: 'obo_agents.model', value: full },
    // The entity of the latest deploy: after a failed update it is in no config, but its build logs are what matter.
    { key: 'obo_agents.served_entity', value: entity },
    {
      key: 'obo_agents.user_scopes',
      value: plan.userScopes
        .map((s) => s.scope)
        .join(',')
        .slice(0, 255),
    },
  ];
  const serveState = `Version ${version} of ${full} is registered; endpoint ${name} may not have the change.`;
  let created = false;
  try {
    o.progress('serve', `Creating or updating endpoint ${name}…`, 10);
    const existing = await getEndpoint(o, name);
    if (!existing) {
      await session.call(
        (ctx) =>
          session.client.servingEndpoints.create(
            {
              name,
              config: { name, served_entities: [served] },
              tags,
              ai_gateway: plan.inferenceTable
                ? {
                    inference_table_config: {
                      enabled: true,
                      catalog_name: plan.inferenceTable.catalog,
                      schema_name: plan.inferenceTable.schema,
                      table_name_prefix: plan.inferenceTable.prefix,
                    },
                  }
                : undefined,
            },
            ctx,
          ),
        signal,
      );
      created = true;
      o.log.info(`deploy: created endpoint ${name} serving ${entity}`);
    } else {
      if (existing.state?.config_update === 'IN_PROGRESS') {
        await waitUntil(
          o,
          name,
          'the previous update of this endpoint to finish',
          (ep) => ep.state?.config_update !== 'IN_PROGRESS',
        );
      }
      await updateConfig(o, name, served);
      await session.call(
        (ctx) => session.client.servingEndpoints.patch({ name, add_tags: tags }, ctx),
        signal,
      );
      o.log.info(`deploy: updated endpoint ${name} to serve ${entity}`);
    }
  } catch (e) {
    if (e instanceof DeployError) {
      throw e;
    }
    if (e instanceof CancelledError) {
      throw fail(
        'serve',
        e,
        `Sending the configuration of endpoint ${name}`,
        `${serveState} Deploying again picks up from the endpoint's current state.`,
      );
    }
    throw fail(
      'serve',
      e,
      `Creating or updating endpoint ${name}`,
      `${serveState} Deploy again once the cause is fixed.`,
    );
  }

  // 4. Wait until ready (cancel stops waiting, not the deployment).
  o.progress('wait', `Waiting for ${name} to be ready (this can take 15 minutes)…`, 10);
  const ep = await waitUntil(
    o,
    name,
    `endpoint ${name} to be ready`,
    (x) => x.state?.config_update !== 'IN_PROGRESS',
  );
  if (ep.state?.config_update !== 'NOT_UPDATING' || ep.state?.ready !== 'READY') {
    const logs = await buildLogs(o, name, entity);
    const still =
      ep.state?.ready === 'READY'
        ? 'The endpoint still serves its previous configuration.'
        : 'The endpoint is not ready.';
    const base = new UserFacingError(
      'server',
      `Serving ${full} version ${version} on ${name}`,
      `Model Serving reports ${ep.state?.config_update ?? 'an unknown state'}${logs ? `; build log: ${lastLine(logs)}` : ''}`,
      still,
      'Read the build logs (Show Logs), fix the agent or its dependencies, and deploy again.',
    );
    throw new DeployError('wait', base, logs ? r.redact(logs) : undefined);
  }
  const host = await session.host();
  o.progress('done', `${name} is ready.`, 40);
  return {
    endpointName: name,
    servedEntityName: entity,
    modelName: full,
    version,
    created,
    endpointUrl: endpointPageUrl(host, name),
    invocationsUrl: invocationsUrl(host, name),
    runId: logged.runId,
  };
}

/** The most telling line of a build log: the last ERROR line, else the last line mentioning a failure. */
function lastLine(s: string): string {
  const ls = s.trim().split('\n');
  return (
    ls.filter((l) => /error/i.test(l)).pop() ?? ls.filter((l) => /fail/i.test(l)).pop() ?? ls.pop() ?? ''
  );
}

async function getEndpoint(
  o: DeployOptions,
  name: string,
): Promise<serving.ServingEndpointDetailed | undefined> {
  try {
    return await o.session.call((ctx) => o.session.client.servingEndpoints.get({ name }, ctx), o.signal);
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 404) {
      return undefined;
    }
    throw e;
  }
}

/** PUT config; a 409 means another update started meanwhile: wait for it once, then retry. */
async function updateConfig(o: DeployOptions, name: string, served: serving.ServedEntityInput) {
  const put = () =>
    o.session.call(
      (ctx) => o.session.client.servingEndpoints.updateConfig({ name, served_entities: [served] }, ctx),
      o.signal,
    );
  try {
    await put();
  } catch (e) {
    if (!(e instanceof ApiError && e.statusCode === 409)) {
      throw e;
    }
    o.log.warn(`deploy: ${name} is busy (409), waiting for its current update`);
    await waitUntil(
      o,
      name,
      'the other update of this endpoint to finish',
      (ep) => ep.state?.config_update !== 'IN_PROGRESS',
    );
    await put();
  }
}

/** Polls GET until `done`; cancel, timeout and repeated poll failures all say the deployment goes on without us. */
async function waitUntil(
  o: DeployOptions,
  name: string,
  what: string,
  done: (ep: serving.ServingEndpointDetailed) => boolean,
): Promise<serving.ServingEndpointDetailed> {
  const started = Date.now();
  const timeout = o.waitTimeoutMs ?? 30 * 60_000;
  const interval = o.pollIntervalMs ?? 10_000;
  const continues = `The deployment continues on Databricks: ${name} keeps updating without the editor.`;
  const watch = 'Watch it in the Deployments view (refresh), then query it when it is ready.';
  let errors = 0;
  for (;;) {
    try {
      const ep = await o.session.call(
        (ctx) => o.session.client.servingEndpoints.get({ name }, ctx),
        o.signal,
      );
      errors = 0;
      o.log.debug(`deploy: ${name} ready=${ep.state?.ready} config_update=${ep.state?.config_update}`);
      if (done(ep)) {
        return ep;
      }
      const entity = ep.pending_config?.served_entities?.[0]?.state;
      const secs = Math.round((Date.now() - started) / 1000);
      o.progress(
        'wait',
        `Waiting for ${what} (${secs} s${entity?.deployment ? `, ${entity.deployment}` : ''})…`,
      );
    } catch (e) {
      if (e instanceof CancelledError) {
        throw new DeployError(
          'wait',
          new UserFacingError('cancelled', `Waiting for ${what}`, 'you stopped waiting', continues, watch),
        );
      }
      if (e instanceof ApiError && e.statusCode === 404) {
        throw new DeployError(
          'wait',
          new UserFacingError(
            'notFound',
            `Waiting for ${what}`,
            `endpoint ${name} was deleted meanwhile`,
            'Nothing is deploying any more.',
            'Deploy again to create it.',
          ),
        );
      }
      errors++;
      o.log.warn(
        `deploy: polling ${name} failed (${errors}): ${o.session.redactor.redact(String((e as Error).message))}`,
      );
      if (errors >= (o.maxPollErrors ?? 3)) {
        throw new DeployError(
          'wait',
          explain(e, `Checking the state of ${name}`, continues, o.session.redactor),
        );
      }
    }
    if (Date.now() - started > timeout) {
      throw new DeployError(
        'wait',
        new UserFacingError(
          'timeout',
          `Waiting for ${what}`,
          `it took longer than ${Math.round(timeout / 60_000)} minutes`,
          continues,
          watch,
        ),
      );
    }
    try {
      await sleep(interval, o.signal);
    } catch {
      throw new DeployError(
        'wait',
        new UserFacingError('cancelled', `Waiting for ${what}`, 'you stopped waiting', continues, watch),
      );
    }
  }
}

async function buildLogs(o: DeployOptions, name: string, entity: string): Promise<string | undefined> {
  try {
    const res = await o.session.call(
      (ctx) => o.session.client.servingEndpoints.buildLogs({ name, served_model_name: entity }, ctx),
      o.signal,
    );
    return res.logs;
  } catch (e) {
    o.log.warn(
      `deploy: could not fetch build logs of ${entity}: ${o.session.redactor.redact((e as Error).message)}`,
    );
    return undefined;
  }
}
