// Serving endpoints (§2.2, §5.3): create/get/list/update-config/tags/ai-gateway/delete/build-logs and the state machine.
import { asObject, badRequest, conflict, forbidden, notFound, requireString, type Router } from './http';
import type { Principal } from './state';
import { hexId, type Endpoint, type EndpointConfig, type EmulatorState, type ServedEntity } from './state';

const NAME_RE = /^[A-Za-z0-9_-]{1,63}$/;
const SIZES = new Set(['Small', 'Medium', 'Large']);

export const endpointMissing = (name: string) =>
  notFound('RESOURCE_DOES_NOT_EXIST', `Endpoint with name '${name}' does not exist.`);

/** Validates served entities against the UC store and builds the pending config. */
function buildConfig(
  state: EmulatorState,
  body: Record<string, unknown>,
  version: number,
  who: Principal,
): EndpointConfig {
  const input = body.served_entities;
  if (!Array.isArray(input) || input.length === 0) {
    throw badRequest('served_entities must contain at least one entity.');
  }
  const now = Date.now();
  const entities: ServedEntity[] = input.map((raw) => {
    const e = asObject(raw);
    const entityName = requireString(e, 'entity_name');
    const entityVersion = e.entity_version;
    if (typeof entityVersion !== 'string' || !/^\d+$/.test(entityVersion)) {
      throw badRequest(
        `entity_version must be a version number string, got ${JSON.stringify(entityVersion)}.`,
      );
    }
    const mv = state.modelVersion(entityName, Number(entityVersion));
    if (!mv) {
      throw notFound(
        'RESOURCE_DOES_NOT_EXIST',
        `Model version '${entityName}' version ${entityVersion} does not exist.`,
      );
    }
    if (mv.status !== 'READY') {
      throw badRequest(`Model version '${entityName}' version ${entityVersion} is ${mv.status}, not READY.`);
    }
    const name = typeof e.name === 'string' ? e.name : `${entityName.split('.').pop()}-${entityVersion}`;
    if (!NAME_RE.test(name)) {
      throw badRequest(`Served entity name '${name}' must match [A-Za-z0-9_-] and be at most 63 characters.`);
    }
    const size = e.workload_size ?? 'Small';
    if (typeof size !== 'string' || !SIZES.has(size)) {
      throw badRequest(`workload_size must be one of Small, Medium, Large; got ${JSON.stringify(size)}.`);
    }
    return {
      name,
      entity_name: entityName,
      entity_version: entityVersion,
      workload_size: size,
      workload_type: typeof e.workload_type === 'string' ? e.workload_type : 'CPU',
      scale_to_zero_enabled: e.scale_to_zero_enabled === true,
      environment_vars: e.environment_vars as Record<string, string> | undefined,
      state: {
        deployment: 'DEPLOYMENT_CREATING',
        deployment_state_message: 'Creating resources for served entity.',
      },
      creator: who.userName,
      creation_timestamp: now,
    };
  });
  const names = new Set(entities.map((e) => e.name));
  if (names.size !== entities.length) {
    throw badRequest('Served entity names must be unique within an endpoint.');
  }
  let routes = asObject(body.traffic_config).routes as
    { served_model_name: string; traffic_percentage: number }[] | undefined;
  if (!routes) {
    if (entities.length > 1) {
      throw badRequest('traffic_config is required when an endpoint serves more than one entity.');
    }
    routes = [{ served_model_name: entities[0].name, traffic_percentage: 100 }];
  }
  const total = routes.reduce((s, r) => s + Number(r.traffic_percentage), 0);
  if (total !== 100 || routes.some((r) => !names.has(r.served_model_name))) {
    throw badRequest('traffic_config routes must name served entities and add up to 100.');
  }
  return { config_version: version, start_time: now, served_entities: entities, traffic_config: { routes } };
}

/** Applies a pending change: success or failure, per the seeded model version or an injected deploy fault. */
export function settle(state: EmulatorState, ep: Endpoint) {
  const pending = ep.pending_config;
  if (!pending) {
    return;
  }
  const injected = state.deployFailures.shift();
  const failure =
    injected ??
    pending.served_entities
      .map((e) => state.modelVersion(e.entity_name, Number(e.entity_version))?.failOnDeploy)
      .find((m) => m !== undefined);
  delete pending.start_time;
  ep.pending_config = undefined;
  ep.last_updated_timestamp = Date.now();
  if (failure === undefined) {
    for (const e of pending.served_entities) {
      e.state = { deployment: 'DEPLOYMENT_READY', deployment_state_message: '' };
    }
    ep.config = pending;
    ep.state = { ready: 'READY', config_update: 'NOT_UPDATING' };
    const first = pending.served_entities[0];
    ep.task = state.modelVersion(first.entity_name, Number(first.entity_version))?.task;
    return;
  }
  for (const e of pending.served_entities) {
    e.state = {
      deployment: 'DEPLOYMENT_FAILED',
      deployment_state_message: `Served entity failed to deploy: ${failure}`,
    };
    ep.buildLogs.set(
      e.name,
      `[build] Installing model dependencies for ${e.entity_name} version ${e.entity_version}\n` +
        `[build] ERROR: ${failure}\n[build] Container build failed.`,
    );
  }
  if (ep.config) {
    ep.state = { ready: ep.state.ready, config_update: 'UPDATE_FAILED' };
  } else {
    ep.config = pending;
    ep.state = { ready: 'NOT_READY', config_update: 'UPDATE_FAILED' };
  }
}

function maybeSettle(state: EmulatorState, ep: Endpoint) {
  if (!ep.pending_config) {
    return;
  }
  ep.polls++;
  const { settleAfterPolls, settleAfterMs } = state.options;
  if (
    (settleAfterPolls > 0 && ep.polls >= settleAfterPolls) ||
    (settleAfterMs > 0 && Date.now() - ep.changedAt >= settleAfterMs)
  ) {
    settle(state, ep);
  }
}

export function detailed(ep: Endpoint) {
  const { polls: _p, changedAt: _c, buildLogs: _b, lastInvokedAt: _l, ...rest } = ep;
  return { ...rest, permission_level: 'CAN_MANAGE', route_optimized: false };
}

function summary(ep: Endpoint) {
  const entities = (ep.config ?? ep.pending_config)?.served_entities ?? [];
  return {
    name: ep.name,
    id: ep.id,
    creator: ep.creator,
    creation_timestamp: ep.creation_timestamp,
    last_updated_timestamp: ep.last_updated_timestamp,
    state: ep.state,
    config: ep.config
      ? {
          served_entities: entities.map((e) => ({
            name: e.name,
            entity_name: e.entity_name,
            entity_version: e.entity_version,
          })),
        }
      : undefined,
    tags: ep.tags,
    task: ep.task,
  };
}

export function findEndpoint(state: EmulatorState, name: string): Endpoint {
  const ep = state.endpoints.get(name);
  if (!ep) {
    throw endpointMissing(name);
  }
  return ep;
}

function need(state: EmulatorState, who: Principal, grant: string, name: string) {
  if (!state.can(who, grant, name)) {
    throw forbidden(`User ${who.userName} does not have ${grant} permission on endpoint '${name}'.`);
  }
}

function mergeTags(current: Endpoint['tags'], add: unknown, del: unknown): Endpoint['tags'] {
  const map = new Map(current.map((t) => [t.key, t.value]));
  for (const k of Array.isArray(del) ? del : []) {
    map.delete(String(k));
  }
  for (const t of Array.isArray(add) ? add : []) {
    const o = asObject(t);
    map.set(String(o.key), o.value === undefined ? undefined : String(o.value));
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value }));
}

export function servingRoutes(
  router: Router,
  state: EmulatorState,
  who: (h: Record<string, unknown>) => Principal,
) {
  const base = '/api/2.0/serving-endpoints';
  router.add('POST', base, (req) => {
    const p = who(req.headers);
    const body = asObject(req.body);
    const name = requireString(body, 'name');
    if (!NAME_RE.test(name)) {
      throw badRequest(`Endpoint name '${name}' must match [A-Za-z0-9_-] and be at most 63 characters.`);
    }
    need(state, p, 'CAN_MANAGE', name);
    if (state.endpoints.has(name)) {
      throw conflict('RESOURCE_ALREADY_EXISTS', `Endpoint with name '${name}' already exists.`);
    }
    const now = Date.now();
    const ep: Endpoint = {
      name,
      id: hexId(),
      creator: p.userName,
      creation_timestamp: now,
      last_updated_timestamp: now,
      state: { ready: 'NOT_READY', config_update: 'IN_PROGRESS' },
      pending_config: buildConfig(state, asObject(body.config), 1, p),
      tags: mergeTags([], body.tags, []),
      ai_gateway: body.ai_gateway as Record<string, unknown> | undefined,
      description: typeof body.description === 'string' ? body.description : undefined,
      polls: 0,
      changedAt: now,
      buildLogs: new Map(),
    };
    const first = ep.pending_config!.served_entities[0];
    ep.task = state.modelVersion(first.entity_name, Number(first.entity_version))?.task;
    state.endpoints.set(name, ep);
    return { json: detailed(ep) };
  });
  router.add('GET', base, (req) => {
    const p = who(req.headers);
    const visible = [...state.endpoints.values()].filter(
      (ep) => state.can(p, 'CAN_VIEW', ep.name) || state.can(p, 'CAN_MANAGE', ep.name),
    );
    return { json: visible.length ? { endpoints: visible.map(summary) } : {} };
  });
  router.add('GET', `${base}/:name`, (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    if (!state.can(p, 'CAN_VIEW', ep.name) && !state.can(p, 'CAN_MANAGE', ep.name)) {
      need(state, p, 'CAN_VIEW', ep.name);
    }
    maybeSettle(state, ep);
    return { json: detailed(ep) };
  });
  router.add('PUT', `${base}/:name/config`, (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    need(state, p, 'CAN_MANAGE', ep.name);
    if (ep.state.config_update === 'IN_PROGRESS') {
      throw conflict(
        'RESOURCE_CONFLICT',
        `Endpoint '${ep.name}' is currently updating; wait for the update to finish.`,
      );
    }
    const version = Math.max(ep.config?.config_version ?? 0, 0) + 1;
    ep.pending_config = buildConfig(state, asObject(req.body), version, p);
    ep.state = { ready: ep.state.ready, config_update: 'IN_PROGRESS' };
    ep.polls = 0;
    ep.changedAt = Date.now();
    ep.last_updated_timestamp = ep.changedAt;
    return { json: detailed(ep) };
  });
  router.add('PATCH', `${base}/:name/tags`, (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    need(state, p, 'CAN_MANAGE', ep.name);
    const body = asObject(req.body);
    ep.tags = mergeTags(ep.tags, body.add_tags, body.delete_tags);
    return { json: { tags: ep.tags } };
  });
  router.add('PUT', `${base}/:name/ai-gateway`, (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    need(state, p, 'CAN_MANAGE', ep.name);
    const next = asObject(req.body);
    const cur = asObject(ep.ai_gateway?.inference_table_config);
    const nxt = asObject(next.inference_table_config);
    const moved = ['catalog_name', 'schema_name', 'table_name_prefix'].some(
      (k) => nxt[k] !== undefined && cur[k] !== undefined && nxt[k] !== cur[k],
    );
    if (cur.enabled === true && moved) {
      throw badRequest('Disable the inference table before changing its catalog, schema or prefix.');
    }
    ep.ai_gateway = next;
    return { json: next };
  });
  router.add('DELETE', `${base}/:name`, (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    need(state, p, 'CAN_MANAGE', ep.name);
    state.endpoints.delete(ep.name);
    return { json: {} };
  });
  const logs =
    (kind: 'build' | 'server') =>
    (req: { headers: Record<string, unknown>; params: Record<string, string> }) => {
      const p = who(req.headers);
      const ep = findEndpoint(state, req.params.name);
      need(state, p, 'CAN_VIEW', ep.name);
      const all = [...(ep.config?.served_entities ?? []), ...(ep.pending_config?.served_entities ?? [])];
      const entity = all.find((e) => e.name === req.params.sm);
      const failed = ep.buildLogs.get(req.params.sm);
      // A failed update's entity is in no config any more, but its build logs stay readable.
      if (failed !== undefined && kind === 'build') {
        return { json: { logs: failed } };
      }
      if (!entity) {
        throw notFound(
          'RESOURCE_DOES_NOT_EXIST',
          `Served model '${req.params.sm}' does not exist in endpoint '${ep.name}'.`,
        );
      }
      const build =
        ep.buildLogs.get(entity.name) ??
        `[build] ${entity.entity_name} version ${entity.entity_version}: ${entity.state.deployment}`;
      return {
        json: { logs: kind === 'build' ? build : `[server] ${entity.name} ${entity.state.deployment}` },
      };
    };
  router.add('GET', `${base}/:name/served-models/:sm/build-logs`, logs('build'));
  router.add('GET', `${base}/:name/served-models/:sm/logs`, logs('server'));
}
