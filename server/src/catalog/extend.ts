// Merges user catalog entries (settings `oboAgents.catalog.extra`, `[tool.obo]` in pyproject.toml) into the built-in catalog.
import type { Catalog, ConsumerRow, MethodRow, UserClientRow } from './types';

/** What a user may add: in-house wrappers that take a client, make one, or call Databricks. */
export interface CatalogExtra {
  consumers?: Partial<ConsumerRow>[];
  userClients?: Partial<UserClientRow>[];
  methods?: Partial<MethodRow>[];
  /** Extra allowed scope names (a newer allowlist than ours). */
  scopes?: string[];
}

export interface ExtendResult {
  catalog: Catalog;
  /** Entries skipped, each with why: shown to the user instead of failing. */
  problems: string[];
}

const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates loosely typed user input and returns a new catalog; invalid entries are reported, never thrown. */
export function extendCatalog(base: Catalog, extra: unknown): ExtendResult {
  const problems: string[] = [];
  if (extra === undefined || extra === null) {
    return { catalog: base, problems };
  }
  if (typeof extra !== 'object' || Array.isArray(extra)) {
    return {
      catalog: base,
      problems: ['catalog extension must be an object with consumers/userClients/methods/scopes'],
    };
  }
  const e = extra as CatalogExtra;
  const catalog: Catalog = {
    ...base,
    consumers: [...base.consumers],
    userClients: [...base.userClients],
    methods: [...base.methods],
    scopes: [...base.scopes],
  };
  (Array.isArray(e.consumers) ? e.consumers : []).forEach((c, i) => {
    if (!c || !isStrList(c.callees) || !c.callees.length) {
      problems.push(`consumers[${i}]: needs "callees" (a list of qualified names)`);
      return;
    }
    const needs = c.needs ?? {};
    if ((needs.required && !isStrList(needs.required)) || (needs.mayUse && !isStrList(needs.mayUse))) {
      problems.push(`consumers[${i}]: "needs.required" and "needs.mayUse" must be lists of scope names`);
      return;
    }
    catalog.consumers.push({
      id: c.id ?? `user-consumer-${i}`,
      callees: c.callees,
      clientParam: c.clientParam ?? { keyword: 'workspace_client' },
      needs,
      mcpUrl: c.mcpUrl,
      resources: c.resources,
      callsOnConstruction: c.callsOnConstruction ?? false,
      // An in-house agent factory that keeps the tools it is given (clientParam then names the tools parameter).
      holdsTools: c.holdsTools === true ? true : undefined,
      openKeywords: true,
      doc: c.doc ?? 'In-house wrapper (user catalog).',
    });
  });
  (Array.isArray(e.userClients) ? e.userClients : []).forEach((c, i) => {
    if (!c || !isStrList(c.callees) || !c.callees.length) {
      problems.push(`userClients[${i}]: needs "callees" (a list of qualified names)`);
      return;
    }
    catalog.userClients.push({
      id: c.id ?? `user-client-${i}`,
      callees: c.callees,
      clientKind: c.clientKind ?? 'workspace',
      credentialKeyword: c.credentialKeyword ?? 'credentials_strategy',
      credentialValues: isStrList(c.credentialValues)
        ? c.credentialValues
        : base.userClients[0].credentialValues,
      openKeywords: true,
      doc: c.doc ?? 'In-house user client (user catalog).',
    });
  });
  (Array.isArray(e.methods) ? e.methods : []).forEach((m, i) => {
    if (!m || typeof m.path !== 'string') {
      problems.push(`methods[${i}]: needs "path" (e.g. "genie.start_conversation")`);
      return;
    }
    catalog.methods.push({
      id: m.id ?? `user-method-${i}`,
      clientKind: m.clientKind ?? 'workspace',
      path: m.path,
      needs: m.needs ?? {},
      resources: m.resources,
      doc: m.doc ?? 'In-house call (user catalog).',
    });
  });
  if (e.scopes !== undefined) {
    if (!isStrList(e.scopes)) {
      problems.push('"scopes" must be a list of scope names');
    } else {
      for (const name of e.scopes) {
        if (!catalog.scopes.some((s) => s.name === name)) {
          catalog.scopes.push({ name, family: 'single', grants: 'Added by the user catalog.' });
        }
      }
    }
  }
  return { catalog, problems };
}

/** Concatenates the list tables of several catalog extensions (pyproject sections, each folder's settings). */
export function mergeExtras(extras: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const extra of extras) {
    for (const [key, value] of Object.entries(extra)) {
      const prev = out[key];
      out[key] = Array.isArray(prev) && Array.isArray(value) ? [...prev, ...value] : (prev ?? value);
    }
  }
  return out;
}
