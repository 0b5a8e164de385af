// Deploy orchestration without VS Code: log + register (Python), create or update the endpoint (SDK), wait until ready.
import type { serving } from '@databricks/sdk-experimental';
import type { DatabricksSession } from './connection';
import { DeployError, type DeployStep } from './deployError';
import { buildLogs, getEndpoint, lastLine, sleep, updateConfig, waitUntil } from './endpointOps';
import { CancelledError, explain, UserFacingError } from './errors';
import type { ModelLogResult, ModelLogStep } from './logStep';
import { endpointPageUrl, invocationsUrl, servedEntityName } from './naming';
import type { DeployPlan } from './plan';
import type { Log } from './redact';

export { DeployError, type DeployStep } from './deployError';

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
      `Model Serving reports ${ep.state?.config_update ?? 'an unknown state'}${logs ? `; build log: ${r.redact(lastLine(logs))}` : ''}`,
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
