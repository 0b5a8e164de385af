// In-memory state of the emulated workspace: principals, UC models, MLflow, serving endpoints, faults, request log.
import { randomBytes } from 'node:crypto';

export interface Principal {
  id: string;
  userName: string;
  displayName: string;
  token: string;
  /** OAuth M2M credentials of a service principal: `client_credentials` for them yields `token`. */
  clientId?: string;
  clientSecret?: string;
  /** `*`, a grant (`CAN_QUERY`), or a grant on one resource (`CAN_QUERY:agents_main-agents-bot`). */
  grants: string[];
}

/** `agent/v1/responses`, `agent/v2/chat`, or any other task (`llm/v1/chat`) for endpoints that are not agents. */
export type AgentTask = 'agent/v1/responses' | 'agent/v2/chat' | (string & {});

export interface ModelVersion {
  version: number;
  status: 'READY' | 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION';
  source: string;
  run_id?: string;
  task: AgentTask;
  /** When set, serving this version fails with this message in the build logs. */
  failOnDeploy?: string;
  created_by: string;
  created_at: number;
}

export interface RegisteredModel {
  full_name: string;
  catalog_name: string;
  schema_name: string;
  name: string;
  owner: string;
  created_at: number;
  versions: Map<number, ModelVersion>;
}

export interface ServedEntity {
  name: string;
  entity_name: string;
  entity_version: string;
  workload_size: string;
  workload_type?: string;
  scale_to_zero_enabled: boolean;
  environment_vars?: Record<string, string>;
  state: { deployment: string; deployment_state_message: string };
  creator: string;
  creation_timestamp: number;
}

export interface EndpointConfig {
  config_version: number;
  start_time?: number;
  served_entities: ServedEntity[];
  traffic_config: { routes: { served_model_name: string; traffic_percentage: number }[] };
}

export interface Endpoint {
  name: string;
  id: string;
  creator: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  state: {
    ready: 'READY' | 'NOT_READY';
    config_update: 'IN_PROGRESS' | 'NOT_UPDATING' | 'UPDATE_FAILED' | 'UPDATE_CANCELED';
  };
  config?: EndpointConfig;
  pending_config?: EndpointConfig;
  tags: { key: string; value?: string }[];
  ai_gateway?: Record<string, unknown>;
  description?: string;
  task?: AgentTask;
  /** Polls (GETs) seen since the last change, and when it started; drive settling. */
  polls: number;
  changedAt: number;
  buildLogs: Map<string, string>;
  lastInvokedAt?: number;
}

export interface Fault {
  route: RegExp;
  method?: string;
  status?: number;
  body?: { error_code?: string | number; message?: string };
  /** Remaining hits; -1 means forever. */
  times: number;
  /** Hold the response this long (a timeout when the client gives up first). */
  delayMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
  user?: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active';
}

export interface Run {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: string;
    artifact_uri: string;
    start_time: number;
    end_time?: number;
    user_id: string;
  };
  data: {
    params: { key: string; value: string }[];
    tags: { key: string; value: string }[];
    metrics: unknown[];
  };
}

export interface EmulatorOptions {
  /** GET polls after which a pending change settles (0 = only by time or `advance`). */
  settleAfterPolls: number;
  /** Milliseconds after which a pending change settles (0 = never by time). */
  settleAfterMs: number;
  /** `plain` answers a bad token with numeric 403 (the real behaviour); `structured` with 401 UNAUTHENTICATED. */
  authStyle: 'plain' | 'structured';
  /** Send `data: [DONE]` at the end of a stream. */
  sendDone: boolean;
  /** Extra latency for the first invocation of a scale-to-zero endpoint. */
  coldStartMs: number;
  /** Pause between streamed events (lets tests stop a stream half-way). */
  streamDelayMs: number;
  orgId: string;
}

export const defaultOptions = (): EmulatorOptions => ({
  settleAfterPolls: 2,
  settleAfterMs: 0,
  authStyle: 'plain',
  sendDone: true,
  coldStartMs: 0,
  streamDelayMs: 0,
  orgId: '1234567890123456',
});

export const hexId = (bytes = 16) => randomBytes(bytes).toString('hex');

export class EmulatorState {
  options = defaultOptions();
  principals = new Map<string, Principal>();
  schemas = new Set<string>();
  models = new Map<string, RegisteredModel>();
  experiments = new Map<string, Experiment>();
  runs = new Map<string, Run>();
  endpoints = new Map<string, Endpoint>();
  faults: Fault[] = [];
  /** Messages for the next deploys that must fail, whatever the model version says. */
  deployFailures: string[] = [];
  requests: LoggedRequest[] = [];
  private nextExperiment = 100;

  reset() {
    Object.assign(this, new EmulatorState());
  }

  principalByToken(token: string): Principal | undefined {
    return this.principals.get(token);
  }

  can(p: Principal, grant: string, resource?: string): boolean {
    return p.grants.some(
      (g) => g === '*' || g === grant || (resource !== undefined && g === `${grant}:${resource}`),
    );
  }

  newExperimentId(): string {
    return String(this.nextExperiment++);
  }

  modelVersion(full: string, version: number): ModelVersion | undefined {
    return this.models.get(full)?.versions.get(version);
  }
}
