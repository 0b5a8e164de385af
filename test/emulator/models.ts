// Unity Catalog models (public 2.1 and MLflow's UC registry, §2.4) and MLflow tracking (§2.5), in memory.
import {
  asObject,
  badRequest,
  conflict,
  forbidden,
  HttpFailure,
  notFound,
  requireString,
  type Router,
} from './http';
import {
  hexId,
  type AgentTask,
  type EmulatorState,
  type ModelVersion,
  type Principal,
  type RegisteredModel,
} from './state';

const missingModel = (full: string) =>
  notFound('RESOURCE_DOES_NOT_EXIST', `Routine or Model '${full}' does not exist.`);

function splitFull(full: string): [string, string, string] {
  const parts = full.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw badRequest(`Model name '${full}' must be a three-level name catalog.schema.model.`);
  }
  return parts as [string, string, string];
}

function createModel(state: EmulatorState, p: Principal, full: string): RegisteredModel {
  const [catalog, schema, name] = splitFull(full);
  if (!state.schemas.has(`${catalog}.${schema}`)) {
    throw notFound('SCHEMA_DOES_NOT_EXIST', `Schema '${catalog}.${schema}' does not exist.`);
  }
  if (!state.can(p, 'CREATE_MODEL', `${catalog}.${schema}`)) {
    throw forbidden(`User ${p.userName} does not have CREATE_MODEL on schema '${catalog}.${schema}'.`);
  }
  if (state.models.has(full)) {
    throw conflict('RESOURCE_ALREADY_EXISTS', `Routine or Model '${full}' already exists`);
  }
  const model: RegisteredModel = {
    full_name: full,
    catalog_name: catalog,
    schema_name: schema,
    name,
    owner: p.userName,
    created_at: Date.now(),
    versions: new Map(),
  };
  state.models.set(full, model);
  return model;
}

const ucModel = (m: RegisteredModel) => ({
  full_name: m.full_name,
  catalog_name: m.catalog_name,
  schema_name: m.schema_name,
  name: m.name,
  owner: m.owner,
  created_at: m.created_at,
  storage_location: `s3://emulator/${m.catalog_name}/${m.schema_name}/${m.name}`,
  aliases: [],
});

const ucVersion = (m: RegisteredModel, v: ModelVersion) => ({
  model_name: m.name,
  catalog_name: m.catalog_name,
  schema_name: m.schema_name,
  version: v.version,
  status: v.status,
  source: v.source,
  run_id: v.run_id,
  storage_location: `s3://emulator/${m.catalog_name}/${m.schema_name}/${m.name}/versions/${v.version}`,
  created_at: v.created_at,
  created_by: v.created_by,
});

const mlflowVersion = (m: RegisteredModel, v: ModelVersion) => ({
  name: m.full_name,
  version: String(v.version),
  status: v.status,
  source: v.source,
  run_id: v.run_id,
  creation_timestamp: v.created_at,
  user_id: v.created_by,
  storage_location: `s3://emulator/${m.catalog_name}/${m.schema_name}/${m.name}/versions/${v.version}`,
});

function getModel(state: EmulatorState, full: string): RegisteredModel {
  const m = state.models.get(full);
  if (!m) {
    throw missingModel(full);
  }
  return m;
}

function getVersion(state: EmulatorState, full: string, version: string): [RegisteredModel, ModelVersion] {
  const m = getModel(state, full);
  const v = m.versions.get(Number(version));
  if (!v) {
    throw notFound('RESOURCE_DOES_NOT_EXIST', `Model version '${full}' version ${version} does not exist.`);
  }
  return [m, v];
}

export function modelRoutes(
  router: Router,
  state: EmulatorState,
  who: (h: Record<string, unknown>) => Principal,
) {
  const uc = '/api/2.1/unity-catalog/models';
  router.add('GET', uc, (req) => {
    who(req.headers);
    return { json: { registered_models: [...state.models.values()].map(ucModel) } };
  });
  router.add('POST', uc, (req) => {
    const p = who(req.headers);
    const b = asObject(req.body);
    const full = `${requireString(b, 'catalog_name')}.${requireString(b, 'schema_name')}.${requireString(b, 'name')}`;
    return { json: ucModel(createModel(state, p, full)) };
  });
  router.add('GET', `${uc}/:full`, (req) => {
    who(req.headers);
    return { json: ucModel(getModel(state, req.params.full)) };
  });
  router.add('GET', `${uc}/:full/versions`, (req) => {
    who(req.headers);
    const m = getModel(state, req.params.full);
    return { json: { model_versions: [...m.versions.values()].map((v) => ucVersion(m, v)) } };
  });
  router.add('GET', `${uc}/:full/versions/:v`, (req) => {
    who(req.headers);
    const [m, v] = getVersion(state, req.params.full, req.params.v);
    return { json: ucVersion(m, v) };
  });

  const reg = '/api/2.0/mlflow/unity-catalog';
  router.add('POST', `${reg}/registered-models/create`, (req) => {
    const p = who(req.headers);
    const m = createModel(state, p, requireString(req.body, 'name'));
    return {
      json: {
        registered_model: { name: m.full_name, creation_timestamp: m.created_at, user_id: p.userName },
      },
    };
  });
  router.add('GET', `${reg}/registered-models/get`, (req) => {
    who(req.headers);
    const m = getModel(state, req.query.get('name') ?? '');
    return {
      json: { registered_model: { name: m.full_name, creation_timestamp: m.created_at, user_id: m.owner } },
    };
  });
  router.add('POST', `${reg}/model-versions/create`, (req) => {
    const p = who(req.headers);
    const b = asObject(req.body);
    const m = getModel(state, requireString(b, 'name'));
    if (!state.can(p, 'CREATE_MODEL', `${m.catalog_name}.${m.schema_name}`)) {
      throw forbidden(
        `User ${p.userName} does not have CREATE_MODEL on schema '${m.catalog_name}.${m.schema_name}'.`,
      );
    }
    const tags = Array.isArray(b.tags) ? b.tags.map(asObject) : [];
    const task = tags.find((t) => t.key === 'task')?.value;
    const version = Math.max(0, ...m.versions.keys()) + 1;
    const v: ModelVersion = {
      version,
      status: 'PENDING_REGISTRATION',
      source: requireString(b, 'source'),
      run_id: typeof b.run_id === 'string' ? b.run_id : undefined,
      task: (task === 'agent/v2/chat' ? task : 'agent/v1/responses') as AgentTask,
      created_by: p.userName,
      created_at: Date.now(),
    };
    m.versions.set(version, v);
    return { json: { model_version: mlflowVersion(m, v) } };
  });
  router.add('POST', `${reg}/model-versions/finalize`, (req) => {
    who(req.headers);
    const b = asObject(req.body);
    const [m, v] = getVersion(state, requireString(b, 'name'), String(b.version ?? ''));
    v.status = 'READY';
    return { json: { model_version: mlflowVersion(m, v) } };
  });
  router.add('GET', `${reg}/model-versions/get`, (req) => {
    who(req.headers);
    const [m, v] = getVersion(state, req.query.get('name') ?? '', req.query.get('version') ?? '');
    return { json: { model_version: mlflowVersion(m, v) } };
  });
  router.add('GET', `${reg}/model-versions/search`, (req) => {
    who(req.headers);
    const name = /name\s*=\s*'([^']+)'/.exec(req.query.get('filter') ?? '')?.[1];
    const models = name ? [getModel(state, name)] : [...state.models.values()];
    return {
      json: {
        model_versions: models.flatMap((m) => [...m.versions.values()].map((v) => mlflowVersion(m, v))),
      },
    };
  });
  router.add('POST', `${reg}/model-versions/generate-temporary-credentials`, (req) => {
    who(req.headers);
    throw new HttpFailure(
      501,
      'NOT_IMPLEMENTED',
      'The emulator does not hand out cloud storage credentials.',
    );
  });

  const ml = '/api/2.0/mlflow';
  const experimentByName = (name: string) => [...state.experiments.values()].find((e) => e.name === name);
  router.add('GET', `${ml}/experiments/get-by-name`, (req) => {
    who(req.headers);
    const name = req.query.get('experiment_name') ?? '';
    const e = experimentByName(name);
    if (!e) {
      throw notFound('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
    }
    return { json: { experiment: e } };
  });
  router.add('POST', `${ml}/experiments/create`, (req) => {
    who(req.headers);
    const name = requireString(req.body, 'name');
    if (experimentByName(name)) {
      throw conflict('RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.`);
    }
    const id = state.newExperimentId();
    state.experiments.set(id, {
      experiment_id: id,
      name,
      artifact_location: `dbfs:/databricks/mlflow-tracking/${id}`,
      lifecycle_stage: 'active',
    });
    return { json: { experiment_id: id } };
  });
  router.add('POST', `${ml}/runs/create`, (req) => {
    const p = who(req.headers);
    const b = asObject(req.body);
    const exp = state.experiments.get(requireString(b, 'experiment_id'));
    if (!exp) {
      throw notFound('RESOURCE_DOES_NOT_EXIST', `No experiment with id ${String(b.experiment_id)}.`);
    }
    const runId = hexId();
    const run = {
      info: {
        run_id: runId,
        experiment_id: exp.experiment_id,
        run_name: typeof b.run_name === 'string' ? b.run_name : undefined,
        status: 'RUNNING',
        artifact_uri: `${exp.artifact_location}/${runId}/artifacts`,
        start_time: Number(b.start_time ?? Date.now()),
        user_id: p.userName,
      },
      data: {
        params: [],
        tags: Array.isArray(b.tags) ? (b.tags as { key: string; value: string }[]) : [],
        metrics: [],
      },
    };
    state.runs.set(runId, run);
    return { json: { run } };
  });
  const run = (id: unknown) => {
    const r = state.runs.get(String(id));
    if (!r) {
      throw notFound('RESOURCE_DOES_NOT_EXIST', `Run '${String(id)}' not found.`);
    }
    return r;
  };
  router.add('POST', `${ml}/runs/log-batch`, (req) => {
    who(req.headers);
    const b = asObject(req.body);
    const r = run(b.run_id);
    r.data.params.push(...((b.params as { key: string; value: string }[]) ?? []));
    r.data.tags.push(...((b.tags as { key: string; value: string }[]) ?? []));
    return { json: {} };
  });
  router.add('POST', `${ml}/runs/update`, (req) => {
    who(req.headers);
    const b = asObject(req.body);
    const r = run(b.run_id);
    r.info.status = String(b.status ?? r.info.status);
    r.info.end_time = Number(b.end_time ?? Date.now());
    return { json: { run_info: r.info } };
  });
  router.add('GET', `${ml}/runs/get`, (req) => {
    who(req.headers);
    return { json: { run: run(req.query.get('run_id')) } };
  });
  router.add('GET', `${ml}/artifacts/list`, (req) => {
    who(req.headers);
    const r = run(req.query.get('run_id'));
    return { json: { root_uri: r.info.artifact_uri, files: [] } };
  });
}
