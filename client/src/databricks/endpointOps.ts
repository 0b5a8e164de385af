// Endpoint operations a deploy is made of: get, update (riding out 409), poll until a condition, fetch build logs.
import { ApiError, type serving } from '@databricks/sdk-experimental';
import type { DatabricksSession } from './connection';
import { DeployError } from './deployError';
import { CancelledError, explain, UserFacingError } from './errors';
import type { Log } from './redact';

/** The part of DeployOptions these operations need. */
export interface EndpointOps {
  session: DatabricksSession;
  signal: AbortSignal;
  log: Log;
  progress(step: 'wait', message: string): void;
  pollIntervalMs?: number;
  waitTimeoutMs?: number;
  maxPollErrors?: number;
}

export const sleep = (ms: number, signal: AbortSignal) =>
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

/** The most telling line of a build log: the last ERROR line, else the last line mentioning a failure. */
export function lastLine(s: string): string {
  const ls = s.trim().split('\n');
  return (
    ls.filter((l) => /error/i.test(l)).pop() ?? ls.filter((l) => /fail/i.test(l)).pop() ?? ls.pop() ?? ''
  );
}

export async function getEndpoint(
  o: EndpointOps,
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
export async function updateConfig(o: EndpointOps, name: string, served: serving.ServedEntityInput) {
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
export async function waitUntil(
  o: EndpointOps,
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

export async function buildLogs(o: EndpointOps, name: string, entity: string): Promise<string | undefined> {
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
