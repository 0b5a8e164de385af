// The scopes Model Serving accepts for user authorization, and names it rejects (obo-facts.md §1, §2).
import type { Catalog } from '../types';
import {
  SERVING,
  VS_INDEXES,
  VS_ENDPOINTS,
  SQL_STATEMENTS,
  SQL_WAREHOUSES,
  CONNECTIONS,
  GENIE,
} from './names';

export const SCOPES: Pick<Catalog, 'scopes' | 'rejectedScopes'> = {
  scopes: [
    {
      name: SERVING,
      family: 'documented',
      shortName: 'model-serving',
      grants: 'Query Model Serving endpoints as the user (chat models, embeddings, other agents).',
    },
    {
      name: 'model-serving',
      family: 'short',
      covers: [SERVING],
      grants: 'Short name of `serving.serving-endpoints`: query Model Serving endpoints as the user.',
    },
    {
      name: VS_INDEXES,
      family: 'documented',
      shortName: 'vector-search',
      grants: 'Read and query Vector Search indexes as the user.',
    },
    {
      name: VS_ENDPOINTS,
      family: 'documented',
      shortName: 'vector-search',
      grants: 'Read Vector Search endpoints as the user.',
    },
    {
      name: 'vector-search',
      family: 'short',
      covers: [VS_INDEXES, VS_ENDPOINTS],
      grants: 'Short name covering Vector Search indexes and endpoints.',
    },
    {
      name: SQL_STATEMENTS,
      family: 'documented',
      shortName: 'sql',
      grants: 'Run SQL statements on a warehouse as the user (`POST /api/2.0/sql/statements`).',
    },
    {
      name: SQL_WAREHOUSES,
      family: 'documented',
      shortName: 'sql',
      grants: 'Read and use SQL warehouses as the user.',
    },
    {
      name: 'sql',
      family: 'short',
      covers: [SQL_STATEMENTS, SQL_WAREHOUSES],
      grants: 'Parent scope covering every `sql.*` scope (statement execution, warehouses).',
    },
    {
      name: CONNECTIONS,
      family: 'single',
      grants: 'Use Unity Catalog connections as the user (external HTTP calls through `http_request`).',
    },
    {
      name: GENIE,
      family: 'documented',
      shortName: 'genie',
      grants: 'Ask Genie spaces questions as the user (conversations, messages, query results).',
    },
    {
      name: 'genie',
      family: 'short',
      covers: [GENIE],
      grants: 'Short name of `dashboards.genie`: use Genie spaces as the user.',
    },
    {
      name: 'mcp.genie',
      family: 'single',
      grants: 'Call the managed Genie MCP server (`/api/2.0/mcp/genie/{space_id}`).',
    },
    {
      name: 'mcp.functions',
      family: 'single',
      grants: 'Call the managed Unity Catalog functions MCP server (`/api/2.0/mcp/functions/...`).',
    },
    {
      name: 'mcp.vectorsearch',
      family: 'single',
      grants: 'Call the managed Vector Search MCP server (`/api/2.0/mcp/vector-search/...`).',
    },
    { name: 'mcp.sql', family: 'single', grants: 'Call the managed DBSQL MCP server (`/api/2.0/mcp/sql`).' },
    {
      name: 'mcp.external',
      family: 'single',
      grants: 'Call an external MCP server through a UC connection (`/api/2.0/mcp/external/{connection}`).',
    },
    {
      name: 'iam.current-user:read',
      family: 'single',
      grants: 'Read the calling user (`GET /api/2.0/preview/scim/v2/Me`).',
    },
    { name: 'iam.access-control:read', family: 'single', grants: 'Read access-control lists.' },
    {
      name: 'ai-gateway',
      family: 'single',
      grants: 'Call AI Gateway routes (`{host}/ai-gateway/...`).',
      caveat: 'listed in the allowlist snapshot, but reported rejected at deploy by databricks-agents 1.11.0',
    },
    {
      name: 'unity-catalog',
      family: 'single',
      grants: 'Unity Catalog objects (tables, functions); what it grants is not confirmed by Databricks.',
      caveat: 'what this scope grants is not documented',
    },
    {
      name: 'apps.apps',
      family: 'documented',
      shortName: 'apps',
      grants: 'Call Databricks Apps as the user.',
    },
    { name: 'apps', family: 'short', covers: ['apps.apps'], grants: 'Short name of `apps.apps`.' },
    {
      name: 'workspace.workspace',
      family: 'single',
      grants: 'Workspace objects (notebooks, files in the workspace tree).',
    },
  ],
  rejectedScopes: [
    { name: 'serving-endpoints', reason: 'is not a scope name', suggest: SERVING },
    { name: 'catalog.catalogs:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'catalog.schemas:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'catalog.tables:read', reason: 'is a Databricks Apps scope, rejected by Model Serving' },
    { name: 'files', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
    { name: 'files.files', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
    { name: 'postgres', reason: 'is a Databricks Apps scope, not in the Model Serving allowlist' },
  ],
};
