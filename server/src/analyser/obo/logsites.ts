// Reads a log_model call: which agent file it logs, and the auth policy it declares (scopes, resources), with syntax locations.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { ArgRef } from '../../catalog/types';
import type { Event } from '../engine/events';
import { getOrAdd, pushTo } from '../collections';
import type { ModuleModel } from '../engine/program';
import { argNode, argOf } from '../engine/interpreter';
import type { CallArgs, ExtCallValue, Site, Vals, Value } from '../engine/values';
import { knownString, knownStrings } from '../engine/values';
import type { PyNode } from '../python/tree';

export interface ScopeItem {
  value?: string;
  site: Site;
}

export interface ResourceItem {
  resource: string;
  name?: string;
  site: Site;
}

/** A list literal holding declarations, and what was found in it. */
export interface DeclaredList<T> {
  items: T[];
  /** The list literal (for edits); undefined when the list is computed. */
  list?: Site;
  /** Some entries could not be resolved statically. */
  partial: boolean;
}

export interface LogSite {
  event: Extract<Event, { k: 'logModel' }>;
  site: Site;
  /** The agent file path it names (absolute when resolvable), or the module of an object passed in. */
  target?: { path?: string; pattern?: (string | null)[]; module?: ModuleModel };
  /** `auth_policy=` is given. */
  authPolicy?: { site: Site; call?: ExtCallValue };
  userScopes?: DeclaredList<ScopeItem> & { policy: ExtCallValue };
  systemResources?: DeclaredList<ResourceItem> & { policy: ExtCallValue };
  /** `resources=` given directly to log_model. */
  resourcesKw?: DeclaredList<ResourceItem> & { node: PyNode };
}

function firstCall(
  vals: Vals,
  cat: CatalogIndex,
  set: 'authPolicy' | 'userPolicy' | 'systemPolicy',
): ExtCallValue | undefined {
  return vals.find((v): v is ExtCallValue => v.k === 'extcall' && cat.is(set, v.name));
}

function listOf(vals: Vals): Extract<Value, { k: 'list' }> | undefined {
  return vals.find((v): v is Extract<Value, { k: 'list' }> => v.k === 'list');
}

function scopeList(vals: Vals): DeclaredList<ScopeItem> {
  const list = listOf(vals);
  if (!list) {
    return { items: [], partial: true };
  }
  const items: ScopeItem[] = [];
  let partial = list.site.node.type !== 'list' && list.site.node.type !== 'tuple';
  const literal = list.site.node.type === 'list' || list.site.node.type === 'tuple';
  list.items.forEach((item, i) => {
    const s = item.find((v) => v.k === 'str');
    const value = knownString(s);
    if (value === undefined) {
      partial = true;
    }
    if (s?.k === 'str' && s.site) {
      items.push({ value, site: s.site });
    } else if (literal && list.site.node.children[i]) {
      // A computed entry (`os.environ["X"]`, a call): kept unresolved so it is reported, not silently skipped.
      items.push({ value: undefined, site: { mod: list.site.mod, node: list.site.node.children[i] } });
    }
  });
  if (list.items.length === 0 && list.site.node.type === 'list_comprehension') {
    partial = true;
  }
  return { items, list: list.site.node.type === 'list' ? list.site : undefined, partial };
}

function resourceList(vals: Vals, cat: CatalogIndex): DeclaredList<ResourceItem> {
  const list = listOf(vals);
  if (!list) {
    return { items: [], partial: true };
  }
  const items: ResourceItem[] = [];
  // A comprehension or a loop over constants (`[DatabricksGenieSpace(s) for s in SPACES]`) is known when every
  // name it can take is; anything unknown makes the list partial.
  let partial = !list.items.length && list.site.node.type !== 'list';
  for (const item of list.items) {
    const call = item.find((v): v is ExtCallValue => v.k === 'extcall' && !!cat.isResourceClass(v.name));
    if (!call) {
      partial = true;
      continue;
    }
    const resource = cat.isResourceClass(call.name) as string;
    const row = cat.catalog.resources.find((r) => r.name === resource);
    const names = knownStrings(argOf(call.args, row?.param, 0));
    if (!names.length) {
      partial = true;
    }
    for (const name of names.length ? names : [undefined]) {
      items.push({ resource, name, site: call.site });
    }
  }
  return { items, list: list.site.node.type === 'list' ? list.site : undefined, partial };
}

/**
 * The file a log_model's python_model= names, to load when it is not open: the resolved path when the string is
 * known, else the logging file's folder plus the file name the string ends with (`os.path.join(os.getcwd(), "agent.py")`).
 */
export function loggedFile(fromPath: string, args: CallArgs, model: ArgRef): string | undefined {
  const base = path.dirname(fromPath);
  for (const v of argOf(args, model.keyword, model.position)) {
    if (v.k !== 'str') {
      continue;
    }
    const s = knownString(v);
    if (s !== undefined) {
      return path.resolve(base, s);
    }
    const known = v.parts.filter((p): p is string => p !== null);
    const last = known[known.length - 1] ?? '';
    const tail = last.slice(last.lastIndexOf('/') + 1);
    return tail.endsWith('.py') && last === v.parts[v.parts.length - 1] ? path.join(base, tail) : undefined;
  }
  return undefined;
}

export function readLogSite(event: Extract<Event, { k: 'logModel' }>, cat: CatalogIndex): LogSite {
  const args: CallArgs = event.args;
  const site: LogSite = { event, site: event.site };
  const model = cat.logModelArg(event.name);
  const pm = argOf(args, model.keyword, model.position);
  for (const v of pm) {
    if (v.k === 'str') {
      const s = knownString(v);
      const base = path.dirname(event.site.mod.path);
      if (s !== undefined) {
        site.target = { path: path.resolve(base, s) };
      } else {
        site.target = { pattern: v.parts };
      }
      break;
    }
    if (v.k === 'inst' || v.k === 'class') {
      site.target = { module: v.cls.mod };
      break;
    }
  }
  const kw = cat.mlflow;
  const ap = argOf(args, kw.authPolicyKeyword);
  const apNode = argNode(args, kw.authPolicyKeyword);
  if (apNode) {
    const call = firstCall(ap, cat, 'authPolicy');
    site.authPolicy = { site: { mod: event.site.mod, node: apNode }, call };
    if (call) {
      const user = firstCall(
        argOf(call.args, kw.userPolicyArg.keyword, kw.userPolicyArg.position),
        cat,
        'userPolicy',
      );
      if (user) {
        // A wrong keyword (`scopes=`, OBO401) still holds the scopes: they are checked too.
        const wrong = Object.keys(cat.policy(user.name)?.wrongKeywords ?? {});
        const scopes = argOf(user.args, kw.scopesArg.keyword, kw.scopesArg.position, wrong);
        site.userScopes = { ...scopeList(scopes), policy: user };
      }
      const sp = kw.systemPolicyArg;
      const system = firstCall(argOf(call.args, sp.keyword, sp.position), cat, 'systemPolicy');
      if (system) {
        const declared = argOf(system.args, kw.systemResourcesArg.keyword, kw.systemResourcesArg.position);
        site.systemResources = { ...resourceList(declared, cat), policy: system };
      }
    }
  }
  const resNode = args.kwNodes.get(kw.resourcesKeyword);
  if (resNode) {
    site.resourcesKw = { ...resourceList(argOf(args, kw.resourcesKeyword), cat), node: resNode };
  }
  return site;
}

/**
 * Which modules log sites name: `exact` (the same path, or the module itself) or `likely` (the same file name,
 * e.g. a relative path resolved elsewhere). Modules are indexed by path and by file name, so linking every log
 * site of a large workspace to its agent is linear instead of sites × modules × agents.
 */
export class LogTargets {
  private readonly byPath = new Map<string, ModuleModel[]>();
  private readonly byName = new Map<string, ModuleModel[]>();
  private readonly cache = new Map<LogSite, { exact: ModuleModel[]; likely: ModuleModel[] }>();

  /** Module → the sites that log it, by kind, in site order. */
  private readonly bySite = new Map<ModuleModel, { exact: LogSite[]; likely: LogSite[] }>();

  constructor(modules: Iterable<ModuleModel>, sites: LogSite[]) {
    for (const m of modules) {
      const names = namesOf(m);
      pushTo(this.byPath, names.normalized, m);
      pushTo(this.byName, names.base, m);
    }
    for (const site of sites) {
      const { exact, likely } = this.of(site);
      for (const [kind, mods] of [
        ['exact', exact],
        ['likely', likely],
      ] as const) {
        for (const m of new Set(mods)) {
          getOrAdd(this.bySite, m, () => ({ exact: [], likely: [] }))[kind].push(site);
        }
      }
    }
  }

  /** The sites that log `mod`, in order: for certain, or likely (same file name). */
  sitesLogging(mod: ModuleModel, kind: 'exact' | 'likely'): LogSite[] {
    return this.bySite.get(mod)?.[kind] ?? [];
  }

  /** The modules `site` logs for certain, and those it likely logs (same file name), as `logsModule` says. */
  of(site: LogSite): { exact: ModuleModel[]; likely: ModuleModel[] } {
    return getOrAdd(this.cache, site, () => this.compute(site));
  }

  private compute(site: LogSite): { exact: ModuleModel[]; likely: ModuleModel[] } {
    const t = site.target;
    if (t?.module) {
      return { exact: [t.module], likely: [] };
    }
    if (t?.path) {
      const exact = this.byPath.get(path.normalize(t.path)) ?? [];
      const likely = (this.byName.get(path.basename(t.path)) ?? []).filter((m) => !exact.includes(m));
      return { exact, likely };
    }
    if (t?.pattern) {
      const known = t.pattern.filter((p): p is string => p !== null);
      const last = known[known.length - 1] ?? '';
      const tail = last.slice(last.lastIndexOf('/') + 1);
      return { exact: [], likely: tail ? (this.byName.get(tail) ?? []) : [] };
    }
    return { exact: [], likely: [] };
  }
}

/** A module's normalised path and file name, computed once per module object (a keystroke rebuilds the index). */
const names = new WeakMap<ModuleModel, { path: string; normalized: string; base: string }>();

function namesOf(m: ModuleModel): { normalized: string; base: string } {
  let n = names.get(m);
  if (n?.path !== m.path) {
    n = { path: m.path, normalized: path.normalize(m.path), base: path.basename(m.path) };
    names.set(m, n);
  }
  return n;
}
