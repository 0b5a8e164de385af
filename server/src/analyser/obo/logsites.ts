// Reads a log_model call: which agent file it logs, and the auth policy it declares (scopes, resources), with syntax locations.
import * as path from 'path';
import type { CatalogIndex } from '../../catalog/lookup';
import type { ArgRef } from '../../catalog/types';
import type { Event } from '../engine/events';
import { getOrAdd, pushTo } from '../collections';
import type { ModuleModel } from '../engine/program';
import {
  argNode,
  argOf,
  type CallArgs,
  type ExtCallValue,
  type Site,
  type Vals,
  type Value,
} from '../engine/values';
import { knownString, knownStrings, UNKNOWN_STR } from '../engine/values';
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
  /** Where the list is given (the argument), when known. */
  at?: Site;
}

export interface LogSite {
  event: Extract<Event, { k: 'logModel' }>;
  site: Site;
  /** The agent file path it names (absolute when resolvable), or the module of an object passed in. */
  target?: { path?: string; pattern?: (string | null)[]; module?: ModuleModel };
  /** `auth_policy=` is given (or set in a dict splatted into log_model). */
  authPolicy?: { site: Site; call?: ExtCallValue };
  userScopes?: DeclaredList<ScopeItem> & { policy: ExtCallValue };
  systemResources?: DeclaredList<ResourceItem> & { policy: ExtCallValue };
  /**
   * `resources=` given to log_model: `at` is the keyword argument, or where a dict splatted into the call sets it
   * (`fromDict`: then it is no argument of the call to edit).
   */
  resourcesKw?: DeclaredList<ResourceItem> & { at: Site; fromDict: boolean };
  /** auth_policy and resources are set only in different branches of one `if` (a kwargs dict): never both. */
  exclusive?: boolean;
}

/** Where a log_model keyword is given: the keyword argument, or every place a splatted dict sets it. */
function keywordSites(event: Extract<Event, { k: 'logModel' }>, key: string): Site[] {
  const spread = event.args.spread?.get(key);
  if (spread?.length) {
    return spread;
  }
  const node = event.args.kwNodes.get(key);
  return node ? [{ mod: event.site.mod, node }] : [];
}

/** Two places that are in different branches of one if/elif/else: at most one of them runs. */
function exclusiveBranches(a: Site, b: Site): boolean {
  const branchOf = (n: PyNode): Map<PyNode, PyNode> => {
    const m = new Map<PyNode, PyNode>();
    for (let c = n; c.parent; c = c.parent) {
      if (c.parent.type === 'if_statement') {
        m.set(c.parent, c);
      }
    }
    return m;
  };
  const fromA = branchOf(a.node);
  for (const [stmt, branch] of branchOf(b.node)) {
    const other = fromA.get(stmt);
    // The condition itself is no branch: both under the same `if` but one in its condition is not exclusive.
    if (other && other !== branch && other.field !== 'condition' && branch.field !== 'condition') {
      return true;
    }
  }
  return false;
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
  const node = list.site.node;
  const literal = node.type === 'list' || node.type === 'tuple';
  // A comprehension, `+` or a loop's appends: no entry of its own, so every value an entry can take is declared.
  let partial = !literal && list.items.length === 0;
  list.items.forEach((item, i) => {
    const entry = literal ? node.children[i] : undefined;
    if (entry) {
      const s = item.find((v) => v.k === 'str');
      const value = knownString(s);
      partial ||= value === undefined;
      // A computed entry (`os.environ["X"]`, a call) is kept unresolved, so it is reported, not silently skipped.
      items.push({ value, site: s?.k === 'str' && s.site ? s.site : { mod: list.site.mod, node: entry } });
      return;
    }
    for (const s of item.length ? item : [UNKNOWN_STR]) {
      const value = knownString(s);
      if (s.k !== 'str' || value === undefined || !s.site) {
        partial = true;
      } else if (!items.some((x) => x.value === value && x.site.node === s.site?.node)) {
        items.push({ value, site: s.site });
      }
    }
  });
  return { items, list: node.type === 'list' ? list.site : undefined, partial };
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
    // Every construct an entry may be: a loop's appends share one slot (`resources.append(...)` of several classes).
    const calls = item.filter((v): v is ExtCallValue => v.k === 'extcall' && !!cat.isResourceClass(v.name));
    if (!calls.length) {
      partial = true;
    }
    for (const call of calls) {
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
  const apSites = keywordSites(event, kw.authPolicyKeyword);
  if (apSites.length) {
    const call = firstCall(ap, cat, 'authPolicy');
    site.authPolicy = { site: apSites[0], call };
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
        const node = argNode(user.args, kw.scopesArg.keyword, kw.scopesArg.position, wrong);
        const at = node ? { mod: user.site.mod, node } : undefined;
        site.userScopes = { ...scopeList(scopes), at, policy: user };
      }
      const sp = kw.systemPolicyArg;
      const system = firstCall(argOf(call.args, sp.keyword, sp.position), cat, 'systemPolicy');
      if (system) {
        const declared = argOf(system.args, kw.systemResourcesArg.keyword, kw.systemResourcesArg.position);
        site.systemResources = { ...resourceList(declared, cat), policy: system };
      }
    }
  }
  const resSites = keywordSites(event, kw.resourcesKeyword);
  if (resSites.length) {
    const fromDict = !!args.spread?.get(kw.resourcesKeyword)?.length;
    site.resourcesKw = { ...resourceList(argOf(args, kw.resourcesKeyword), cat), at: resSites[0], fromDict };
    site.exclusive = resSites.every((r) => apSites.every((a) => exclusiveBranches(a, r)));
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
