// Calls: arguments (with `**kwargs` spread), list and dict methods, local functions and classes, external callees.
import { getOrAdd } from '../collections';
import { child, nameOf, type PyNode, textOf } from '../python/tree';
import { BASES } from './cells';
import { Dicts } from './dicts';
import { pathFunction } from './paths';
import { argsEmpty, NO_KEYWORDS, type ClassInfo, type FuncInfo } from './program';
import {
  type CallArgs,
  type ClientValue,
  type ConsumerValue,
  type DictValue,
  type Site,
  type Vals,
  type Value,
} from './values';

/** Over dicts: every call, to local code (parameters and returns) or to external names. */
export abstract class Calls extends Dicts {
  /** The user-authorized values keeping `v` keeps, and through what (see `Names.kept`). */
  protected abstract kept(v: Value, depth?: number): { value: ClientValue | ConsumerValue; via?: Site }[];
  protected abstract keptIn(container: PyNode, vals: Vals, fn: FuncInfo, node: PyNode): void;
  protected abstract iterate(vals: Vals): Vals;

  private args(n: PyNode | undefined, fn: FuncInfo): CallArgs {
    const a = argsEmpty();
    for (const c of n?.children ?? []) {
      if (c.type === 'keyword_argument') {
        const name = child(c, 'name');
        const value = child(c, 'value');
        if (name) {
          const key = nameOf(fn.mod.src, name);
          if ((a.kw as unknown) === NO_KEYWORDS) {
            a.kw = new Map();
            a.kwNodes = new Map();
          }
          a.kw.set(key, value ? this.expr(value, fn) : []);
          a.kwNodes.set(key, c);
        }
      } else if (c.type === 'dictionary_splat') {
        this.spreadArgs(a, this.expr(c.children[c.children.length - 1] ?? c, fn), fn);
      } else if (c.type === 'list_splat') {
        this.expr(c, fn);
        a.splat = true;
      } else {
        a.pos.push(this.expr(c, fn));
        a.posNodes.push(c);
      }
    }
    return a;
  }

  /** `f(**kw)`: the keys of the dicts `kw` may be become keywords; an unknown or open dict makes the call a splat. */
  private spreadArgs(a: CallArgs, vals: Vals, fn: FuncInfo): void {
    const dicts = vals.filter((v): v is DictValue => v.k === 'dict');
    a.splat ||= !dicts.length;
    for (const d of dicts) {
      const { entries, open } = this.dictRead(d);
      a.splat ||= open;
      for (const e of entries) {
        if ((a.kw as unknown) === NO_KEYWORDS) {
          a.kw = new Map();
          a.kwNodes = new Map();
        }
        const cur = a.kw.get(e.key);
        if (cur) {
          this.ids.union(cur, e.vals);
        } else {
          a.kw.set(e.key, [...e.vals]);
        }
        // Locations and edits read kwNodes in the calling module: a dict from another one only gives `spread`.
        const here = e.at.find((s) => s.mod === fn.mod);
        if (here && !a.kwNodes.has(e.key)) {
          a.kwNodes.set(e.key, here.node);
        }
        getOrAdd((a.spread ??= new Map()), e.key, () => []).push(...e.at);
      }
    }
  }

  /** The slot `append`/`extend`/`insert` add to, one per list value so the fixed point stays finite. */
  private readonly appended = new WeakMap<Value, Vals>();

  protected call(n: PyNode, fn: FuncInfo): Vals {
    const calleeNode = child(n, 'function');
    const args = this.args(child(n, 'arguments'), fn);
    if (!calleeNode) {
      return [];
    }
    // `tools.append(tool)`: the list value gains the item (the receiver is a plain name, so reading it again below
    // has no effect of its own).
    const objNode = calleeNode.type === 'attribute' ? child(calleeNode, 'object') : undefined;
    if (objNode?.type === 'identifier' || objNode?.type === 'attribute') {
      const method = nameOf(fn.mod.src, child(calleeNode, 'attribute') ?? calleeNode);
      const added =
        method === 'append'
          ? args.pos[0]
          : method === 'insert'
            ? args.pos[1]
            : method === 'extend'
              ? this.iterate(args.pos[0] ?? [])
              : undefined;
      if (added && objNode.type === 'attribute') {
        // `self._tools.append(tool)`: kept in a container the object holds.
        this.keptIn(objNode, added, fn, n);
      }
      if (method === 'update' || method === 'setdefault') {
        for (const d of this.expr(objNode, fn)) {
          if (d.k !== 'dict') {
            continue;
          }
          if (method === 'update') {
            this.dictFromArgs(d, args, fn, { mod: fn.mod, node: n });
          } else {
            const key = args.posNodes[0] ? this.keyOf(args.posNodes[0], fn) : undefined;
            this.dictSet(d, key, args.pos[1] ?? [], { mod: fn.mod, node: n });
          }
        }
      }
      for (const o of added && objNode.type === 'identifier' ? this.expr(objNode, fn) : []) {
        if (o.k === 'list' && added) {
          let slot = this.appended.get(o);
          if (!slot) {
            slot = [];
            this.appended.set(o, slot);
            o.items.push(slot);
          }
          this.ids.union(slot, added);
        }
      }
    }
    const site: Site = { mod: fn.mod, node: n };
    const out: Vals = [];
    for (const c of this.expr(calleeNode, fn)) {
      this.ids.union(out, this.callValue(c, args, fn, site));
    }
    // str(x) keeps x's string value; dict(...) is a dict (the length test spares a substring per call).
    if (calleeNode.type === 'identifier' && calleeNode.end - calleeNode.start <= 4 && !out.length) {
      const name = textOf(fn.mod.src, calleeNode);
      if (name === 'str' && args.pos[0]) {
        this.ids.union(out, args.pos[0]);
      } else if (name === 'dict') {
        const d = this.dictAt(n, fn);
        this.dictFromArgs(d, args, fn, site);
        out.push(d);
      }
    }
    return out;
  }

  private callValue(c: Value, args: CallArgs, fn: FuncInfo, site: Site): Vals {
    switch (c.k) {
      case 'func':
        return this.callLocal(c.fn, args, fn, site, undefined);
      case 'bound':
        return this.callLocal(c.fn, args, fn, site, { k: 'inst', cls: c.self });
      case 'class': {
        const init = this.findMethod(c.cls, '__init__');
        fn.calls.push({ to: c.cls.body, site });
        if (init) {
          this.callLocal(init, args, fn, site, { k: 'inst', cls: c.cls });
          return [{ k: 'inst', cls: c.cls }];
        }
        // No `__init__` of its own (a pydantic model, a dataclass): the object keeps its arguments as fields.
        const held = [...args.pos, ...args.kw.values()].flatMap((vals) => vals.flatMap((v) => this.kept(v)));
        const holders = [...new Set(held.map((h) => h.value))].map((v): Value => ({
          k: 'holder',
          held: v,
          site,
        }));
        return [{ k: 'inst', cls: c.cls }, ...holders];
      }
      case 'ext':
        return this.callExternal(c.name, args, fn, site);
      case 'attr':
        return this.callOnClient(c.base, c.path, args, fn, site);
      default:
        return [];
    }
  }

  private findMethod(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): FuncInfo | undefined {
    if (seen.has(cls)) {
      return undefined;
    }
    seen.add(cls);
    this.readNamed(cls, name);
    const own = cls.methods.get(name);
    if (own) {
      return own;
    }
    this.readNamed(cls, BASES);
    return cls.localBases.map((b) => this.findMethod(b, name, seen)).find(Boolean);
  }

  private callLocal(
    target: FuncInfo,
    args: CallArgs,
    fn: FuncInfo,
    site: Site,
    self: Value | undefined,
  ): Vals {
    fn.calls.push({ to: target, site });
    const params = target.params;
    let i = 0;
    if (target.kind === 'method' && params.length && self) {
      i = 1;
    }
    const bind = (name: string, vals: Vals) => {
      let cur = target.paramVals.get(name);
      if (!cur) {
        cur = [];
        target.paramVals.set(name, cur);
      }
      this.wrote(cur);
      if (this.ids.union(cur, vals)) {
        this.grew(cur);
      }
    };
    for (const vals of args.pos) {
      const p = params[i];
      if (!p || p.kind !== 'normal') {
        break;
      }
      bind(p.name, vals);
      i++;
    }
    for (const [k, vals] of args.kw) {
      if (params.some((p) => p.name === k)) {
        bind(k, vals);
      }
    }
    this.read(target.returns);
    return [...target.returns];
  }

  private callExternal(name: string, args: CallArgs, fn: FuncInfo, site: Site): Vals {
    const built = this.construct(name, args, fn, site);
    if (built) {
      return built;
    }
    const pathy = pathFunction(name);
    if (pathy) {
      return [pathy(args)];
    }
    this.opaque(name, args, fn, site);
    return [{ k: 'extcall', name, site, args }];
  }
}
