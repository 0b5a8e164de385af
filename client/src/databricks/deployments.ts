// The workspace's agent endpoints for the Deployments view: state, served model version, scopes recorded at deploy.
import type { serving } from '@databricks/sdk-experimental';
import type { DatabricksSession } from './connection';
import { explain } from './errors';

export interface DeploymentSummary {
  name: string;
  ready?: string;
  configUpdate?: string;
  task?: string;
  model?: string;
  version?: string;
  servedEntity?: string;
  /** The entity our latest deploy asked for (tag), which may differ from the served one after a failed update. */
  lastDeployedEntity?: string;
  /** From the `obo_agents.user_scopes` tag written at deploy; empty when deployed by other tools. */
  scopes: string[];
  creator?: string;
  /** True when the endpoint serves an agent (by name, task or our tag). */
  isAgent: boolean;
}

export type DeploymentHealth = 'ready' | 'updating' | 'failed' | 'notReady';

export function health(d: Pick<DeploymentSummary, 'ready' | 'configUpdate'>): DeploymentHealth {
  if (d.configUpdate === 'IN_PROGRESS') {
    return 'updating';
  }
  if (d.configUpdate === 'UPDATE_FAILED' || d.configUpdate === 'UPDATE_CANCELED') {
    return 'failed';
  }
  return d.ready === 'READY' ? 'ready' : 'notReady';
}

export function summarize(ep: serving.ServingEndpoint): DeploymentSummary {
  const entity = ep.config?.served_entities?.[0];
  const tag = (k: string) => ep.tags?.find((t) => t.key === k)?.value;
  const scopes = (tag('obo_agents.user_scopes') ?? '').split(',').filter(Boolean);
  return {
    name: ep.name ?? '(unnamed)',
    ready: ep.state?.ready,
    configUpdate: ep.state?.config_update,
    task: ep.task,
    model: entity?.entity_name ?? tag('obo_agents.model'),
    version: entity?.entity_version,
    servedEntity: entity?.name,
    lastDeployedEntity: tag('obo_agents.served_entity'),
    scopes,
    creator: ep.creator,
    isAgent: Boolean(
      ep.name?.startsWith('agents_') || ep.task?.startsWith('agent/') || tag('obo_agents.model'),
    ),
  };
}

/** Lists agent endpoints (others are left out: foundation models and classic models are not ours to show). */
export async function listAgentDeployments(
  session: DatabricksSession,
  signal?: AbortSignal,
): Promise<DeploymentSummary[]> {
  try {
    const out: DeploymentSummary[] = [];
    await session.call(async (ctx) => {
      for await (const ep of session.client.servingEndpoints.list(ctx)) {
        out.push(summarize(ep));
      }
    }, signal);
    return out.filter((d) => d.isAgent).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw explain(
      e,
      'Listing serving endpoints',
      'The Deployments view shows nothing new.',
      session.redactor,
    );
  }
}

/** The served entity's build logs (after a failed deploy), or its server logs. */
export async function endpointLogs(
  session: DatabricksSession,
  d: DeploymentSummary,
  signal?: AbortSignal,
): Promise<string> {
  const served =
    health(d) === 'failed' || !d.servedEntity ? (d.lastDeployedEntity ?? d.servedEntity) : d.servedEntity;
  if (!served) {
    return `${d.name} has no served entity yet.`;
  }
  try {
    const build = await session.call(
      (ctx) => session.client.servingEndpoints.buildLogs({ name: d.name, served_model_name: served }, ctx),
      signal,
    );
    return session.redactor.redact(build.logs ?? '(empty build log)');
  } catch (e) {
    throw explain(e, `Reading the build logs of ${d.name}`, 'Nothing changed.', session.redactor);
  }
}
