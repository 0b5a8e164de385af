// Seeds for the emulator: users and their grants, schemas, models and versions, experiments, options.
import type { AgentTask, EmulatorOptions, EmulatorState } from './state';

export interface Seed {
  principals?: {
    token: string;
    userName: string;
    displayName?: string;
    id?: string;
    grants?: string[];
    clientId?: string;
    clientSecret?: string;
  }[];
  /** `catalog.schema` names that exist. */
  schemas?: string[];
  models?: {
    full_name: string;
    versions?: {
      version: number;
      status?: 'READY' | 'PENDING_REGISTRATION';
      task?: AgentTask;
      failOnDeploy?: string;
    }[];
  }[];
  experiments?: string[];
  options?: Partial<EmulatorOptions>;
}

export interface FaultSpec {
  /** A regular expression matched against the request path. */
  route: string;
  method?: string;
  status?: number;
  body?: { error_code?: string | number; message?: string };
  /** How many requests it hits; -1 for all. Default 1. */
  times?: number;
  delayMs?: number;
  /** Instead of an HTTP fault: the next N deploys (settles) fail with this build error. */
  deployFailure?: string;
}

export const ALICE_TOKEN = 'dapi0a11ce0000000000000000000000a11ce';
export const BOB_TOKEN = 'dapi0b0b00000000000000000000000000b0b';

/** Alice may do everything; Bob may only view and query endpoints (the less-privileged second user). */
export const DEFAULT_SEED: Seed = {
  principals: [
    { token: ALICE_TOKEN, userName: 'alice@example.com', displayName: 'Alice Admin', grants: ['*'] },
    {
      token: BOB_TOKEN,
      userName: 'bob@example.com',
      displayName: 'Bob Viewer',
      grants: ['CAN_VIEW', 'CAN_QUERY'],
    },
  ],
  schemas: ['main.agents'],
};

export function applySeed(state: EmulatorState, seed: Seed) {
  for (const p of seed.principals ?? []) {
    const id = p.id ?? String(1000 + state.principals.size);
    state.principals.set(p.token, {
      id,
      userName: p.userName,
      displayName: p.displayName ?? p.userName,
      token: p.token,
      grants: p.grants ?? ['*'],
      clientId: p.clientId,
      clientSecret: p.clientSecret,
    });
  }
  for (const s of seed.schemas ?? []) {
    state.schemas.add(s);
  }
  for (const m of seed.models ?? []) {
    const [catalog, schema, name] = m.full_name.split('.');
    state.schemas.add(`${catalog}.${schema}`);
    const model = state.models.get(m.full_name) ?? {
      full_name: m.full_name,
      catalog_name: catalog,
      schema_name: schema,
      name,
      owner: 'seed',
      created_at: Date.now(),
      versions: new Map(),
    };
    state.models.set(m.full_name, model);
    for (const v of m.versions ?? []) {
      model.versions.set(v.version, {
        version: v.version,
        status: v.status ?? 'READY',
        source: `models:/${m.full_name}/${v.version}`,
        task: v.task ?? 'agent/v1/responses',
        failOnDeploy: v.failOnDeploy,
        created_by: 'seed',
        created_at: Date.now(),
      });
    }
  }
  for (const name of seed.experiments ?? []) {
    const id = state.newExperimentId();
    state.experiments.set(id, {
      experiment_id: id,
      name,
      artifact_location: `dbfs:/databricks/mlflow-tracking/${id}`,
      lifecycle_stage: 'active',
    });
  }
  Object.assign(state.options, seed.options ?? {});
}
