// Reads a log_model call: which agent file it logs, and the auth policy it declares (scopes, resources), with syntax locations.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { ArgRef } from '../../catalog/types';
import type { Event } from '../engine/events';
import { getOrAdd, pushTo } from '../collections';
import type { ModuleModel } from '../engine/program';
import { argNode, argOf } from '../engine/interpreter';
import type { CallArgs, ExtCallValue, Site, Vals, Value } from '../engine/values';
import { knownString } from '../engine/values';
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
  let partial = list.site.node.type !== 'list';
  for (const item of list.items) {
    const call = item.find((v): v is ExtCallValue => v.k === 'extcall' && !!cat.isResourceClass(v.name));
    if (!call) {
      partial = true;
      continue;
    }
    const resource = cat.isResourceClass(call.name) as string;
    const row = cat.catalog.resources.find((r) => r.name === resource);
    const name = knownString(argOf(call.args, row?.param, 0).find((v) => v.k === 'str'));
    items.push({ resource, name, site: call.site });
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
  const ap = argOf(args, 'auth_policy');
  const apNode = argNode(args, 'auth_policy');
  if (apNode) {
    const call = firstCall(ap, cat, 'authPolicy');
    site.authPolicy = { site: { mod: event.site.mod, node: apNode }, call };
    if (call) {
      const user = firstCall(argOf(call.args, 'user_auth_policy', 0), cat, 'userPolicy');
      if (user) {
        site.userScopes = { ...scopeList(argOf(user.args, 'api_scopes', 0)), policy: user };
      }
      const system = firstCall(argOf(call.args, 'system_auth_policy', 1), cat, 'systemPolicy');
      if (system) {
        site.systemResources = { ...resourceList(argOf(system.args, 'resources', 0), cat), policy: system };
      }
    }
  }
  const resNode = args.kwNodes.get('resources');
  if (resNode) {
    site.resourcesKw = { ...resourceList(argOf(args, 'resources'), cat), node: resNode };
  }
  return site;
}

/**
 * Which modules log sites name: `exact` (the same path, or the module itself) or `likely` (the same file name,
 * e.g. a relative path resolved elsewhere). Modules are indexed by path and by file name, so linking every log
 * site of a large workspace to its agent is linear instead of sites × modules × agents.
 */
export class LogTargets {
  private readonly byPath: Map<string, ModuleModel[]>;
  private readonly byName: Map<string, ModuleModel[]>;
  private readonly modules: readonly ModuleModel[];
  private readonly cache = new Map<LogSite, { exact: ModuleModel[]; likely: ModuleModel[] }>();

  /** Module → the sites that log it for certain, in site order. */
  private readonly exactBySite = new Map<ModuleModel, LogSite[]>();
  /** Module → the sites that likely log it; built when first asked (every `agent.py` shares its file name). */
  private likelyBySite: Map<ModuleModel, LogSite[]> | undefined;

  /**
   * `previous`, the index of the last run: when it was built over the same modules (a keystroke changes events,
   * rarely the set of modules), its module index and what each surviving site names are taken over.
   */
  constructor(
    modules: readonly ModuleModel[],
    private readonly sites: LogSite[],
    previous?: LogTargets,
  ) {
    this.modules = modules;
    const same =
      previous?.modules.length === modules.length && previous.modules.every((m, i) => m === modules[i]);
    if (previous && same) {
      this.byPath = previous.byPath;
      this.byName = previous.byName;
      for (const site of sites) {
        const hit = previous.cache.get(site);
        if (hit) {
          this.cache.set(site, hit);
        }
      }
    } else {
      this.byPath = new Map();
      this.byName = new Map();
      for (const m of modules) {
        const names = namesOf(m);
        pushTo(this.byPath, names.normalized, m);
        pushTo(this.byName, names.base, m);
      }
    }
    for (const site of sites) {
      for (const m of new Set(this.of(site).exact)) {
        pushTo(this.exactBySite, m, site);
      }
    }
  }

  /** The sites that log `mod`, in order: for certain, or likely (same file name). */
  sitesLogging(mod: ModuleModel, kind: 'exact' | 'likely'): LogSite[] {
    if (kind === 'exact') {
      return this.exactBySite.get(mod) ?? [];
    }
    if (!this.likelyBySite) {
      this.likelyBySite = new Map();
      for (const site of this.sites) {
        for (const m of new Set(this.of(site).likely)) {
          pushTo(this.likelyBySite, m, site);
        }
      }
    }
    return this.likelyBySite.get(mod) ?? [];
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
