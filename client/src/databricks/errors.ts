// Turns SDK, network and process failures into messages that say what failed, the state now, and what to do.
import { ApiError, ConfigError, HttpError, retries } from '@databricks/sdk-experimental';
import type { Redactor } from './redact';

export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'notFound'
  | 'conflict'
  | 'invalid'
  | 'rateLimit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'config'
  | 'python'
  | 'other';

/** The user stopped the operation (a cancel button, a closed panel). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

/** One HTTP request outlived the per-request timeout (the SDK itself never gives up on a slow answer). */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  constructor(readonly ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
  }
}

/** A failure phrased for the user: what failed, why, the state things are in now, and what to do next. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(
    readonly kind: ErrorKind,
    readonly what: string,
    readonly why: string,
    readonly state: string,
    readonly action: string,
    readonly status?: number,
  ) {
    super(`${what} failed: ${why}. ${state} ${action}`.replace(/\.\./g, '.').trim());
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

const trimDot = (s: string) => s.trim().replace(/[.\s]+$/, '');

export const SIGN_IN_ACTION =
  'Run "OBO Agents: Select Databricks Profile" and pick a profile with a valid token, or run `databricks auth login --profile <name>` for OAuth.';

/** Classifies an error; `what` names the operation ("Checking the connection"), `state` says where things stand. */
export function explain(e: unknown, what: string, state: string, redactor?: Redactor): UserFacingError {
  const r = (s: string) => (redactor ? redactor.redact(s) : s);
  const make = (kind: ErrorKind, why: string, action: string, status?: number) =>
    new UserFacingError(kind, what, r(trimDot(why)), state, r(action), status);
  if (e instanceof UserFacingError) {
    return e;
  }
  if (e instanceof CancelledError) {
    return make('cancelled', 'it was cancelled', '');
  }
  if (e instanceof RequestTimeoutError) {
    return make(
      'timeout',
      `Databricks gave ${e.message}`,
      'Check the network and try again; for a slow workspace raise oboAgents.databricks.requestTimeoutSeconds.',
    );
  }
  if (e instanceof ApiError) {
    const msg = trimDot(e.message || String(e.errorCode));
    const s = e.statusCode;
    if ((s === 403 && /invalid access token/i.test(msg)) || (s === 401 && /invalid|expired/i.test(msg))) {
      return make(
        'auth',
        `Databricks rejected the token as invalid or expired (${s}: ${msg})`,
        SIGN_IN_ACTION,
        s,
      );
    }
    if (s === 401) {
      return make('auth', `Databricks received no credentials it accepts (401: ${msg})`, SIGN_IN_ACTION, s);
    }
    if (s === 403) {
      return make(
        'permission',
        `permission denied (${msg})`,
        'Ask a workspace admin for that permission, or use a profile that has it.',
        s,
      );
    }
    if (s === 404) {
      return make('notFound', msg, 'Check the name, or refresh the Deployments view.', s);
    }
    if (s === 409) {
      return make('conflict', msg, 'Wait for the other change to finish, then try again.', s);
    }
    if (s === 429) {
      return make(
        'rateLimit',
        `Databricks is rate-limiting requests (429: ${msg})`,
        'Wait a minute and try again.',
        s,
      );
    }
    if (s >= 500) {
      return make(
        'server',
        `Databricks answered ${s} ${String(e.errorCode)}: ${msg}`,
        'Try again; if it keeps failing, check the Databricks status page.',
        s,
      );
    }
    return make(
      'invalid',
      `Databricks refused the request (${s} ${String(e.errorCode)}: ${msg})`,
      'Check the inputs shown in the log.',
      s,
    );
  }
  if (e instanceof retries.TimeoutError) {
    return make(
      'rateLimit',
      'Databricks kept answering "429 Too Many Requests" and the SDK stopped retrying',
      'Wait a minute and try again.',
      429,
    );
  }
  if (e instanceof ConfigError) {
    return make('config', `the Databricks connection is not configured (${e.baseMessage})`, SIGN_IN_ACTION);
  }
  const err = e as NodeJS.ErrnoException & { code?: unknown };
  if ((typeof err?.code === 'string' && NETWORK_CODES.has(err.code)) || e instanceof HttpError) {
    return make(
      'network',
      `could not reach the workspace (${String(err.code ?? err.message)})`,
      'Check the host in the profile, the network and any proxy, then try again.',
    );
  }
  if (err?.name === 'AbortError') {
    return make('cancelled', 'it was cancelled', '');
  }
  return make('other', err?.message ?? String(e), 'See the OBO Agents log for details.');
}
