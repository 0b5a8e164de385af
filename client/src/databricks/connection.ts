// Chooses the Databricks connection (setting > chosen profile > environment > DEFAULT) and builds SDK clients for it.
import { Config, Context, WorkspaceClient } from '@databricks/sdk-experimental';
import { CancelledError, explain, RequestTimeoutError } from './errors';
import type { ProfileInfo } from './profiles';
import { envConnection } from './profiles';
import { Redactor } from './redact';

export type ConnectionSpec =
  /** A profile of the config file; `host` is the oboAgents.databricks.host override. */
  | { kind: 'profile'; profile: string; configFile: string; host?: string }
  /** A personal access token the user typed (kept in SecretStorage). */
  | { kind: 'token'; host: string; token: string }
  /** DATABRICKS_* variables of the editor's environment. */
  | { kind: 'env'; env: Record<string, string> };

/** What "Select Databricks Profile" remembers per workspace. */
export type ChosenConnection = { kind: 'profile'; profile: string } | { kind: 'token'; host: string };

export interface ConnectionInputs {
  settings: { profile?: string; host?: string };
  chosen?: ChosenConnection;
  env: NodeJS.ProcessEnv;
  configFile: string;
  profiles: ProfileInfo[];
  tokenFor(host: string): Promise<string | undefined>;
}

export interface Resolution {
  spec?: ConnectionSpec;
  /** Where the choice came from, for the status bar tooltip and logs. */
  source: string;
  /** Why nothing could be chosen (or why the chosen thing is unusable). */
  problem?: string;
}

export const normalizeHost = (host: string) => {
  const withScheme = /^https?:\/\//i.test(host.trim()) ? host.trim() : `https://${host.trim()}`;
  const u = new URL(withScheme);
  return `${u.protocol}//${u.host}`;
};

const databricksEnv = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('DATABRICKS_') && v !== undefined),
  ) as Record<string, string>;

/** Applies the precedence: settings override everything, then the user's choice, then the environment, then DEFAULT. */
export async function resolveConnection(i: ConnectionInputs): Promise<Resolution> {
  const has = (name: string) => i.profiles.some((p) => p.name === name);
  const host = i.settings.host?.trim() ? normalizeHost(i.settings.host) : undefined;
  const profile = (name: string, source: string): Resolution =>
    has(name)
      ? { spec: { kind: 'profile', profile: name, configFile: i.configFile, host }, source }
      : { source, problem: `Profile "${name}" (${source}) is not in ${i.configFile}.` };
  if (i.settings.profile?.trim()) {
    return profile(i.settings.profile.trim(), 'setting oboAgents.databricks.profile');
  }
  if (host) {
    const token = await i.tokenFor(host);
    if (token) {
      return {
        spec: { kind: 'token', host, token },
        source: 'setting oboAgents.databricks.host with a stored token',
      };
    }
    const match = i.profiles.find((p) => p.host && normalizeHost(p.host) === host);
    if (match) {
      return profile(match.name, `profile for the host in setting oboAgents.databricks.host`);
    }
    return {
      source: 'setting oboAgents.databricks.host',
      problem: `No token or profile is known for ${host}.`,
    };
  }
  if (i.chosen?.kind === 'profile') {
    return profile(i.chosen.profile, 'chosen with Select Databricks Profile');
  }
  if (i.chosen?.kind === 'token') {
    const token = await i.tokenFor(i.chosen.host);
    return token
      ? {
          spec: { kind: 'token', host: i.chosen.host, token },
          source: 'token entered with Select Databricks Profile',
        }
      : {
          source: 'token entered with Select Databricks Profile',
          problem: `The stored token for ${i.chosen.host} is gone.`,
        };
  }
  if (i.env.DATABRICKS_CONFIG_PROFILE?.trim()) {
    return profile(i.env.DATABRICKS_CONFIG_PROFILE.trim(), 'DATABRICKS_CONFIG_PROFILE');
  }
  if (envConnection(i.env)) {
    return {
      spec: { kind: 'env', env: databricksEnv(i.env) },
      source: 'DATABRICKS_HOST environment variables',
    };
  }
  if (has('DEFAULT')) {
    return profile('DEFAULT', `DEFAULT profile of ${i.configFile}`);
  }
  return {
    source: 'nothing configured',
    problem: `No Databricks profile is configured (${i.configFile} has none).`,
  };
}

export function describeSpec(spec: ConnectionSpec): string {
  switch (spec.kind) {
    case 'profile':
      return `profile ${spec.profile}`;
    case 'token':
      return `token for ${spec.host}`;
    case 'env':
      return 'environment variables';
  }
}

export interface ClientOptions {
  productVersion?: string;
  /** How long the SDK keeps retrying 429s (default 300 s in the SDK). */
  retryTimeoutSeconds?: number;
}

/** Builds the SDK config; `env: {}` keeps the editor's DATABRICKS_* variables out of an explicit choice. */
export function configFor(spec: ConnectionSpec, opts: ClientOptions = {}): Config {
  const common = { retryTimeoutSeconds: opts.retryTimeoutSeconds, skipVerify: false };
  switch (spec.kind) {
    case 'profile':
      return new Config({
        ...common,
        profile: spec.profile,
        configFile: spec.configFile,
        host: spec.host,
        env: {},
      });
    case 'token':
      return new Config({ ...common, host: spec.host, token: spec.token, authType: 'pat', env: {} });
    case 'env':
      return new Config({ ...common, env: { ...spec.env } });
  }
}

export interface CurrentUser {
  userName: string;
  displayName?: string;
  host: string;
  workspaceId?: string;
}

/**
 * One connection: the SDK client plus per-request timeouts and cancellation (the SDK's own HTTP timeout
 * does not cut off a slow answer), and the redactor that learns the token it uses.
 */
export class DatabricksSession {
  readonly client: WorkspaceClient;
  readonly config: Config;

  constructor(
    readonly spec: ConnectionSpec,
    readonly redactor = new Redactor(),
    readonly requestTimeoutMs = 60_000,
    opts: ClientOptions = {},
  ) {
    this.config = configFor(spec, opts);
    this.client = new WorkspaceClient(this.config, {
      product: 'obo-agents',
      productVersion: (opts.productVersion ?? '0.0.0') as `${number}.${number}.${number}`,
    });
    if (spec.kind === 'token') {
      redactor.add(spec.token);
    }
    if (spec.kind === 'env') {
      for (const k of ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_SECRET', 'DATABRICKS_PASSWORD']) {
        redactor.add(spec.env[k]);
      }
    }
    // A profile's secrets (PAT, OAuth M2M client secret, password) are known once the SDK has read the file.
    this.config
      .ensureResolved()
      .then(() => this.registerResolvedSecrets())
      .catch(() => undefined);
  }

  private registerResolvedSecrets(): void {
    const c = this.config as unknown as Record<string, unknown>;
    for (const k of ['token', 'clientSecret', 'password']) {
      this.redactor.add(typeof c[k] === 'string' ? (c[k] as string) : undefined);
    }
  }

  get label(): string {
    return describeSpec(this.spec);
  }

  /**
   * Runs one SDK call with a cancellation token tied to `signal` and a timeout; maps the SDK's AbortError
   * to CancelledError or RequestTimeoutError so callers can say which it was.
   */
  async call<T>(
    fn: (ctx: Context) => Promise<T>,
    signal?: AbortSignal,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<T> {
    if (signal?.aborted) {
      throw new CancelledError();
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const ctx = new Context({
      cancellationToken: {
        get isCancellationRequested() {
          return both.aborted;
        },
        onCancellationRequested: (f: () => void) => both.addEventListener('abort', () => f(), { once: true }),
      },
    });
    try {
      return await fn(ctx);
    } catch (e) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      if (timeout.aborted) {
        throw new RequestTimeoutError(timeoutMs);
      }
      throw e;
    }
  }

  async host(): Promise<string> {
    await this.config.ensureResolved();
    this.registerResolvedSecrets();
    const host = (await this.config.getHost()).toString().replace(/\/$/, '');
    return host;
  }

  /** Validates the connection with SCIM Me; also reads the workspace id from X-Databricks-Org-Id. */
  async currentUser(signal?: AbortSignal): Promise<CurrentUser> {
    try {
      const me = await this.call(
        (ctx) =>
          this.client.apiClient.request(
            {
              path: '/api/2.0/preview/scim/v2/Me',
              method: 'GET',
              headers: new Headers({ Accept: 'application/json' }),
              raw: false,
              responseHeaders: ['x-databricks-org-id'],
            },
            ctx,
          ) as Promise<{ userName?: string; displayName?: string; 'x-databricks-org-id'?: string }>,
        signal,
      );
      return {
        userName: me.userName ?? '(unknown user)',
        displayName: me.displayName,
        host: await this.host(),
        workspaceId: me['x-databricks-org-id'],
      };
    } catch (e) {
      throw explain(
        e,
        `Checking the Databricks connection (${this.label})`,
        'You are not connected.',
        this.redactor,
      );
    }
  }

  /**
   * Credentials for a Python child process, through its environment only (never argv): the bearer token the
   * SDK would send, so OAuth and PAT profiles behave the same; the editor's other DATABRICKS_* never leak in.
   */
  async childEnv(): Promise<Record<string, string>> {
    const headers = new Headers();
    await this.config.authenticate(headers);
    const auth = headers.get('Authorization') ?? '';
    const host = await this.host();
    if (auth.startsWith('Bearer ')) {
      const token = auth.slice('Bearer '.length);
      this.redactor.add(token);
      return { DATABRICKS_HOST: host, DATABRICKS_TOKEN: token, DATABRICKS_AUTH_TYPE: 'pat' };
    }
    if (this.spec.kind === 'profile') {
      return {
        DATABRICKS_HOST: host,
        DATABRICKS_CONFIG_PROFILE: this.spec.profile,
        DATABRICKS_CONFIG_FILE: this.spec.configFile,
      };
    }
    throw new Error(
      `The ${this.label} connection uses ${this.config.authType} credentials that cannot be handed to Python.`,
    );
  }
}
