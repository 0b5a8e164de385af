// What an agent needs: scopes for user-authorized calls, resources for system-auth calls, from the interpreter's events.
import type { CatalogIndex } from '../../catalog/lookup';
import type { ResourceNeed as ResourceRef, ScopeNeeds } from '../../catalog/types';
import type { Event } from '../engine/events';
import type { ModuleModel } from '../engine/program';
import { argOf, type CallArgs, knownString, knownStrings, type Site, type Vals } from '../engine/values';
import { textOf } from '../python/tree';

export interface NeedFact {
  scope: string;
  required: boolean;
  confidence: 'confirmed' | 'unconfirmed';
  because: string;
  site: Site;
}

export interface ResourceFact {
  resource: string;
  name?: string;
  because: string;
  site: Site;
}

export interface Note {
  site: Site;
  message: string;
}

export interface AgentNeeds {
  needs: NeedFact[];
  resources: ResourceFact[];
  notes: Note[];
  /** User-authorized values handed to code the catalog does not know: a declared scope may be for them. */
  opaque: Site[];
  usesUserAuth: boolean;
}

/** A call's source on one line for messages: comments dropped (strings kept as written), whitespace collapsed. */
function callText(site: Site): string {
  const t = textOf(site.mod.src, site.node)
    .replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|#[^\n]*/g, (_m, str?: string) => str ?? '')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/\s+/g, ' ');
  return t.length > 70 ? `${t.slice(0, 67)}…` : t;
}

function addNeeds(out: NeedFact[], needs: ScopeNeeds, because: string, site: Site): void {
  const confidence = needs.confidence ?? 'confirmed';
  for (const scope of needs.required ?? []) {
    out.push({ scope, required: true, confidence, because, site });
  }
  for (const scope of needs.mayUse ?? []) {
    out.push({ scope, required: false, confidence, because, site });
  }
}

function resourcesFrom(
  refs: ResourceRef[] | undefined,
  args: CallArgs,
  because: string,
  site: Site,
): ResourceFact[] {
  const out: ResourceFact[] = [];
  for (const ref of refs ?? []) {
    const vals: Vals = argOf(args, ref.from.keyword, ref.from.position, ref.from.aliases);
    const lists = vals.filter((v) => v.k === 'list');
    if (lists.length) {
      for (const l of lists) {
        for (const item of l.k === 'list' ? l.items : []) {
          out.push({
            resource: ref.resource,
            name: knownString(item.find((v) => v.k === 'str')),
            because,
            site,
          });
        }
      }
      continue;
    }
    if (
      !vals.length &&
      ref.from.keyword &&
      !args.kw.has(ref.from.keyword) &&
      ref.from.position === undefined
    ) {
      continue; // the argument is absent: nothing to declare by name
    }
    // A construct in a loop over constants (`GenieAgent(s) for s in SPACES`) uses each of them.
    const names = knownStrings(vals);
    for (const name of names.length ? names : [undefined]) {
      out.push({ resource: ref.resource, name, because, site });
    }
  }
  return out;
}

/** Matches an MCP server URL (possibly partly unknown) against the catalog's paths. */
export function matchMcp(
  cat: CatalogIndex,
  parts: (string | null)[] | undefined,
): { row: (typeof cat.catalog.mcpPaths)[number]; capture?: string } | undefined {
  if (!parts) {
    return undefined;
  }
  // Unknown parts (the host, an id) become a placeholder that a `[^/]+` segment accepts.
  const text = parts.map((p) => (p === null ? '\u0000' : p)).join('');
  const at = text.indexOf('/api/2.0/mcp/');
  if (at < 0) {
    return undefined;
  }
  const pathPart = text.slice(at).split(/[?#]/)[0].replace(/\/+$/, '');
  for (const row of cat.catalog.mcpPaths) {
    const m = new RegExp(row.pattern).exec(pathPart);
    if (m) {
      const capture = m[1] && !m[1].includes('\u0000') ? m[1] : undefined;
      return { row, capture };
    }
  }
  return undefined;
}

/**
 * What the agent modules in `scope` need. `skip` leaves out events that never run in serving (code reached only from
 * an `if __name__ == "__main__":` block).
 */
export function computeNeeds(
  scope: Set<ModuleModel>,
  events: Event[],
  cat: CatalogIndex,
  skip: (e: Event) => boolean = () => false,
): AgentNeeds {
  const out: AgentNeeds = { needs: [], resources: [], notes: [], opaque: [], usesUserAuth: false };
  for (const e of events) {
    if (!scope.has(e.site.mod) || skip(e)) {
      continue;
    }
    switch (e.k) {
      case 'client':
        if (e.value.user) {
          out.usesUserAuth = true;
        }
        break;
      case 'consumer': {
        const { row, user, own, args } = e.value;
        const because = `\`${callText(e.site)}\``;
        if (user) {
          out.usesUserAuth = true;
          const flag = row.flagNeeds;
          if (
            flag &&
            flag.keywords.some((k) => (args.kw.get(k) ?? []).some((v) => v.k === 'bool' && v.value))
          ) {
            addNeeds(out.needs, flag.needs, `${because} (${flag.label})`, e.site);
          } else {
            addNeeds(out.needs, row.needs, because, e.site);
          }
        } else if (!own) {
          out.resources.push(...resourcesFrom(row.resources, args, because, e.site));
        }
        if (row.mcpUrl || row.mcpKind) {
          mcpNeeds(
            out,
            cat,
            row.mcpKind,
            row.mcpUrl ? argOf(args, row.mcpUrl.keyword, row.mcpUrl.position) : [],
            user ? 'user' : own ? 'own' : 'system',
            because,
            e.site,
          );
        }
        break;
      }
      case 'method': {
        const because = `\`${callText(e.site)}\``;
        if (e.client.user) {
          addNeeds(out.needs, e.row.needs, because, e.site);
        } else if (!e.client.own) {
          out.resources.push(...resourcesFrom(e.row.resources, e.args, because, e.site));
        }
        break;
      }
      case 'opaque':
        out.opaque.push(e.site);
        break;
      default:
        break;
    }
  }
  return out;
}

const MCP_PREFIX = '/api/2.0/mcp/';

/** Why an MCP URL gives no scopes: not resolved, under the managed prefix but no managed path, or not managed. */
function unmatchedMcpMessage(cat: CatalogIndex, urlVals: Vals): string {
  const str = urlVals.find((v) => v.k === 'str');
  const parts = str?.k === 'str' ? str.parts : [null];
  const text = parts.map((p) => p ?? '…').join('');
  const at = text.indexOf(MCP_PREFIX);
  if (at >= 0) {
    const urlPath = text.slice(at).split(/[?#]/)[0].replace(/\/+$/, '');
    const kind = urlPath.slice(MCP_PREFIX.length).split('/')[0];
    const rows = cat.catalog.mcpPaths;
    const near = rows.filter((r) => r.form.slice(MCP_PREFIX.length).split('/')[0] === kind);
    const forms = (near.length ? near : rows).map((r) => `\`${r.form}\``).join(', ');
    return (
      `\`${urlPath}\` is not a managed MCP server path (${near.length ? 'expected' : 'known'}: ${forms}): the scopes ` +
      `it needs cannot be checked.`
    );
  }
  return parts.every((p) => p !== null)
    ? `MCP server URL is not a Databricks managed MCP path: the scopes it needs cannot be checked (declare them yourself).`
    : `MCP server URL cannot be resolved statically: the scopes it needs (mcp.genie, mcp.functions, mcp.vectorsearch, mcp.sql or mcp.external) cannot be checked.`;
}

function mcpNeeds(
  out: AgentNeeds,
  cat: CatalogIndex,
  kind: string | undefined,
  urlVals: Vals,
  auth: 'user' | 'system' | 'own',
  because: string,
  site: Site,
): void {
  let row = kind ? cat.catalog.mcpPaths.find((r) => r.kind === kind) : undefined;
  let capture: string | undefined;
  if (!row) {
    const str = urlVals.find((v) => v.k === 'str');
    const hit = matchMcp(cat, str?.k === 'str' ? str.parts : undefined);
    row = hit?.row;
    capture = hit?.capture;
  }
  if (!row) {
    out.notes.push({ site, message: unmatchedMcpMessage(cat, urlVals) });
    return;
  }
  if (auth === 'user') {
    addNeeds(out.needs, row.needs, `${because} (${row.doc})`, site);
  } else if (auth === 'system' && row.resource) {
    out.resources.push({ resource: row.resource, name: capture, because, site });
  }
}
