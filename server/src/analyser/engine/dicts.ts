// Dict values: one per literal or `dict(...)` node, keys set and read across passes, spread into calls and dicts.
import { getOrAdd } from '../collections';
import { child, type PyNode } from '../python/tree';
import type { FuncInfo } from './program';
import { Recogniser } from './recognise';
import { type CallArgs, type DictValue, knownString, type Site, str, UNKNOWN_STR, type Vals } from './values';

/** Over recognition: dict values, whose keys feed `**kwargs` and `dict(...)` into the constructs. */
export abstract class Dicts extends Recogniser {
  /** One dict object per literal or `dict(...)` node, so keys added later reach it across passes. */
  private readonly dicts = new WeakMap<PyNode, DictValue>();

  protected dictAt(n: PyNode, fn: FuncInfo): DictValue {
    let d = this.dicts.get(n);
    if (!d || d.site.mod !== fn.mod) {
      d = {
        k: 'dict',
        site: { mod: fn.mod, node: n },
        entries: new Map(),
        setAt: new Map(),
        keys: [],
        rest: [],
      };
      this.dicts.set(n, d);
    }
    return d;
  }

  protected dictLiteral(n: PyNode, fn: FuncInfo): DictValue {
    const d = this.dictAt(n, fn);
    for (const c of n.children) {
      if (c.type === 'pair') {
        const keyNode = child(c, 'key');
        const valueNode = child(c, 'value');
        const key = keyNode ? this.keyOf(keyNode, fn) : undefined;
        this.dictSet(d, key, valueNode ? this.expr(valueNode, fn) : [], { mod: fn.mod, node: c });
      } else if (c.type === 'dictionary_splat') {
        this.spreadDict(d, this.expr(c.children[c.children.length - 1] ?? c, fn), { mod: fn.mod, node: c });
      } else {
        this.expr(c, fn);
      }
    }
    return d;
  }

  /** `dict(base, name="agent", **more)` and `d.update(...)`: a positional dict, then the keywords. */
  protected dictFromArgs(d: DictValue, args: CallArgs, fn: FuncInfo, site: Site): void {
    if (args.pos[0]) {
      this.spreadDict(d, args.pos[0], site);
    }
    for (const [key, vals] of args.kw) {
      const node = args.kwNodes.get(key);
      const at = args.spread?.get(key) ?? (node ? [{ mod: fn.mod, node }] : [site]);
      at.forEach((s) => this.dictSet(d, key, vals, s));
    }
    if (args.splat) {
      this.dictSet(d, undefined, [], site);
    }
  }

  /** `{**other}`: the entries of the dicts `vals` may be; anything else opens `d`. */
  private spreadDict(d: DictValue, vals: Vals, site: Site): void {
    const dicts = vals.filter((v): v is DictValue => v.k === 'dict' && v !== d);
    for (const src of dicts) {
      const { entries, open } = this.dictRead(src);
      for (const e of entries) {
        e.at.forEach((s) => this.dictSet(d, e.key, e.vals, s));
      }
      if (open) {
        this.dictSet(d, undefined, src.rest, site);
      }
    }
    if (!dicts.length) {
      this.dictSet(d, undefined, [], site);
    }
  }

  /** A key written as a single known string; undefined otherwise. */
  protected keyOf(n: PyNode, fn: FuncInfo): string | undefined {
    const v = this.expr(n, fn);
    return v.length === 1 ? knownString(v[0]) : undefined;
  }

  /** Sets `key` (undefined: a key not known, which opens the dict) to `vals` at `at`. */
  protected dictSet(d: DictValue, key: string | undefined, vals: Vals, at: Site): void {
    if (key === undefined) {
      this.grow(d.rest, vals);
      this.grow(d.keys, [UNKNOWN_STR]);
      return;
    }
    this.grow(
      getOrAdd(d.entries, key, () => []),
      vals,
    );
    this.grow(d.keys, [str(key)]);
    const sites = getOrAdd(d.setAt, key, () => []);
    if (!sites.some((s) => s.node === at.node)) {
      sites.push(at);
    }
  }

  /** The known entries of a dict (read, so their growth re-runs the reader), and whether it is open. */
  protected dictRead(d: DictValue): { entries: { key: string; vals: Vals; at: Site[] }[]; open: boolean } {
    this.read(d.keys);
    const entries: { key: string; vals: Vals; at: Site[] }[] = [];
    let open = false;
    for (const v of d.keys) {
      const key = knownString(v);
      if (key === undefined) {
        open = true;
        continue;
      }
      const vals = d.entries.get(key) ?? [];
      this.read(vals);
      entries.push({ key, vals, at: (d.setAt.get(key) ?? []).filter(inTree) });
    }
    return { entries, open };
  }

  /** Writes into a cell the unit being evaluated owns a share of, telling its readers when it grew. */
  private grow(cell: Vals, vals: Vals): void {
    this.wrote(cell);
    if (this.ids.union(cell, vals)) {
      this.grew(cell);
    }
  }
}

/** Whether a node is still in its module's tree (a dict may remember where code that is gone set a key). */
function inTree(s: Site): boolean {
  let n = s.node;
  while (n.parent) {
    n = n.parent;
  }
  return n === s.mod.root;
}
