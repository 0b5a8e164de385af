// Abstract values the interpreter tracks (partial strings, lists, clients, consumers, functions...), their ids and helpers.
import type { ClientKind, ConsumerRow, UserClientRow } from '../../catalog/types';
import { child, type PyNode } from '../python/tree';
import type { ClassInfo, FuncInfo, ModuleModel } from './program';

/** Where a value was written: the module and the syntax node. */
export interface Site {
  mod: ModuleModel;
  node: PyNode;
}

export interface CallArgs {
  pos: Vals[];
  kw: Map<string, Vals>;
  /** The keyword_argument node per keyword, for edits and precise locations. */
  kwNodes: Map<string, PyNode>;
  posNodes: PyNode[];
  /** True when `*args` / `**kwargs` make the argument list unknowable. */
  splat: boolean;
  /** Keywords that came from a dict splatted in (`**kwargs`): every place that sets each one. */
  spread?: Map<string, Site[]>;
}

/**
 * A dict literal or `dict(...)`, one object per syntax node so keys added later (`kw["auth_policy"] = p`) reach it.
 * Its key set and each entry are cells the interpreter reads and grows; an unknown key or splat makes it open.
 */
export interface DictValue {
  k: 'dict';
  site: Site;
  entries: Map<string, Vals>;
  /** Where each key is set: the pair, the keyword argument or the subscript assignment. */
  setAt: Map<string, Site[]>;
  /** The known keys as strings, plus an unknown string once the dict is open. */
  keys: Vals;
  /** Values under keys that are not known strings. */
  rest: Vals;
}

export type Value =
  | { k: 'str'; parts: (string | null)[]; site?: Site }
  | { k: 'list'; items: Vals[]; site: Site }
  | DictValue
  /** An object that keeps a user-authorized value without being one: a local data class built with a closure over it. */
  | { k: 'holder'; held: ClientValue | ConsumerValue; site: Site }
  | { k: 'const' }
  | { k: 'bool'; value: boolean }
  | { k: 'cred'; name: string; site: Site }
  | ClientValue
  | ConsumerValue
  | { k: 'attr'; base: ClientValue; path: string[] }
  | { k: 'ext'; name: string }
  | ExtCallValue
  | { k: 'func'; fn: FuncInfo }
  | { k: 'class'; cls: ClassInfo }
  | { k: 'inst'; cls: ClassInfo }
  | { k: 'bound'; fn: FuncInfo; self: ClassInfo }
  | { k: 'module'; mod: ModuleModel };

export interface ClientValue {
  k: 'client';
  kind: ClientKind;
  user: boolean;
  /** Built with credentials of its own (`token=`, `client_secret=`…): neither user scopes nor system resources apply. */
  own?: boolean;
  row: UserClientRow;
  site: Site;
}

export interface ConsumerValue {
  k: 'consumer';
  row: ConsumerRow;
  user: boolean;
  /** Not user-authorized, and every client it was given carries its own credentials. */
  own?: boolean;
  site: Site;
  args: CallArgs;
}

export interface ExtCallValue {
  k: 'extcall';
  name: string;
  site: Site;
  args: CallArgs;
}

export type Vals = Value[];

/** The most values one variable keeps: past it, new ones are dropped (keeps the fixed point finite). */
const MAX_UNION = 12;

/**
 * Value identities for one interpreter run: ids of syntax nodes and of functions and classes, each value's key, and
 * the unions built on them. Each interpreter owns one, so two runs never share ids (ids only need to be stable within
 * a run, and keys are compared, never ordered).
 */
export class ValueIds {
  private readonly siteIds = new WeakMap<PyNode, number>();
  private nextId = 1;
  private readonly objectIds = new WeakMap<object, number>();
  private nextObjectId = 1;
  private readonly keys = new WeakMap<Value, string>();
  /** How many times a union dropped a value for being full (results then depend on the order of work). */
  capped = 0;

  private nodeId(n: PyNode): number {
    let id = this.siteIds.get(n);
    if (id === undefined) {
      id = this.nextId++;
      this.siteIds.set(n, id);
    }
    return id;
  }

  /**
   * A function's or class's identity in value keys: the object itself (its `id` embeds a position, which moves when
   * an edit above it is taken in without re-indexing it).
   */
  private objectId(o: object): number {
    let id = this.objectIds.get(o);
    if (id === undefined) {
      id = this.nextObjectId++;
      this.objectIds.set(o, id);
    }
    return id;
  }

  /** A value's identity for unions, computed once per value object. */
  keyOf(v: Value): string {
    let k = this.keys.get(v);
    if (k === undefined) {
      k = this.computeKey(v);
      this.keys.set(v, k);
    }
    return k;
  }

  private computeKey(v: Value): string {
    switch (v.k) {
      case 'str':
        return `s:${v.parts.map((p) => (p === null ? '\u0000' : p)).join('\u0001')}`;
      case 'list':
        return `l:${this.nodeId(v.site.node)}`;
      case 'dict':
        return `d:${this.nodeId(v.site.node)}`;
      case 'holder':
        return `h:${this.nodeId(v.site.node)}:${this.keyOf(v.held)}`;
      case 'const':
        return 'c';
      case 'bool':
        return `b:${v.value}`;
      case 'cred':
        return `cr:${v.name}`;
      case 'client':
        return `cl:${this.nodeId(v.site.node)}:${v.user}`;
      case 'consumer':
        return `co:${this.nodeId(v.site.node)}:${v.user}`;
      case 'attr':
        return `a:${this.keyOf(v.base)}:${v.path.join('.')}`;
      case 'ext':
        return `e:${v.name}`;
      case 'extcall':
        return `x:${this.nodeId(v.site.node)}`;
      case 'func':
        return `f:${this.objectId(v.fn)}`;
      case 'class':
        return `k:${this.objectId(v.cls)}`;
      case 'inst':
        return `i:${this.objectId(v.cls)}`;
      case 'bound':
        return `m:${this.objectId(v.fn)}`;
      case 'module':
        return `M:${v.mod.path}`;
    }
  }

  /** Adds `add` into `into`; returns true when something new arrived. */
  union(into: Vals, add: Vals): boolean {
    if (into.length === 0 && add.length === 1) {
      // The common case (a fresh variable gets one value): no key needed.
      into.push(add[0]);
      return true;
    }
    let changed = false;
    for (const v of add) {
      if (into.length >= MAX_UNION) {
        if (!into.includes(v) && !into.some((x) => this.keyOf(x) === this.keyOf(v))) {
          this.capped++;
        }
        break;
      }
      if (into.includes(v)) {
        continue;
      }
      const k = this.keyOf(v);
      if (!into.some((x) => this.keyOf(x) === k)) {
        into.push(v);
        changed = true;
      }
    }
    return changed;
  }
}

export function str(s: string, site?: Site): Value {
  return { k: 'str', parts: [s], site };
}

export const UNKNOWN_STR: Value = { k: 'str', parts: [null] };

/** The full string when every part is known. */
export function knownString(v: Value | undefined): string | undefined {
  if (!v || v.k !== 'str' || v.parts.some((p) => p === null)) {
    return undefined;
  }
  return v.parts.join('');
}

/** Every fully known string among `vals`, once each; empty when one of them is only partly known, or none is a string. */
export function knownStrings(vals: Vals): string[] {
  const strs = vals.filter((v) => v.k === 'str');
  const known = strs.map(knownString);
  return known.every((s): s is string => s !== undefined) ? [...new Set(known)] : [];
}

export function firstKnownString(vals: Vals | undefined): string | undefined {
  for (const v of vals ?? []) {
    const s = knownString(v);
    if (s !== undefined) {
      return s;
    }
  }
  return undefined;
}

export function concatStrings(a: Value, b: Value, site?: Site): Value {
  const pa = a.k === 'str' ? a.parts : [null];
  const pb = b.k === 'str' ? b.parts : [null];
  return { k: 'str', parts: mergeParts([...pa, ...pb]), site };
}

export function mergeParts(parts: (string | null)[]): (string | null)[] {
  const out: (string | null)[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p === null && last === null && out.length > 0) {
      continue;
    }
    if (p !== null && typeof last === 'string') {
      out[out.length - 1] = last + p;
    } else {
      out.push(p);
    }
  }
  return out;
}

export function isUserValue(v: Value): v is ClientValue | ConsumerValue {
  return (v.k === 'client' || v.k === 'consumer') && v.user;
}

export function userValues(vals: Vals | undefined): (ClientValue | ConsumerValue)[] {
  return (vals ?? []).filter(isUserValue);
}

/** The user values a value is or holds in lists/tuples (`self.tools = [tool]` keeps `tool`), a few levels deep. */
export function userValuesIn(v: Value, depth = 0): (ClientValue | ConsumerValue)[] {
  if (isUserValue(v)) {
    return [v];
  }
  if (v.k !== 'list' || depth >= 4) {
    return [];
  }
  return [...new Set(v.items.flatMap((vals) => vals.flatMap((x) => userValuesIn(x, depth + 1))))];
}

/** A user value, or a list/tuple holding one (`tools=[tool]`, `ToolNode([tool])`), a few levels deep. */
export function holdsUserValue(v: Value): boolean {
  return userValuesIn(v).length > 0;
}

/** The value of an argument given by keyword or position. */
export function argOf(args: CallArgs, keyword?: string, position?: number, aliases: string[] = []): Vals {
  for (const k of [keyword, ...aliases]) {
    if (k && args.kw.has(k)) {
      return args.kw.get(k) ?? [];
    }
  }
  if (position !== undefined && args.pos[position]) {
    return args.pos[position];
  }
  return [];
}

/** The node of an argument given by keyword or position (the keyword_argument's value, or the positional node). */
export function argNode(
  args: CallArgs,
  keyword?: string,
  position?: number,
  aliases: string[] = [],
): PyNode | undefined {
  for (const k of [keyword, ...aliases]) {
    const kw = k ? args.kwNodes.get(k) : undefined;
    if (kw) {
      // A keyword argument or a dict pair has a value; a subscript assignment (`kw["k"] = v`) its right side.
      return child(kw, 'value') ?? child(kw, 'right');
    }
  }
  return position !== undefined ? args.posNodes[position] : undefined;
}
