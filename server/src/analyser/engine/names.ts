// Names and assignment: binding (locals, globals, class attributes), lookup, targets, and user values kept in stores.
import { child, nameOf, type PyNode, textOf } from '../python/tree';
import { Expressions } from './expressions';
import type { ClassInfo, FuncInfo, ModuleModel } from './program';
import {
  type ClientValue,
  type ConsumerValue,
  isUserValue,
  type Site,
  userValuesIn,
  type Vals,
  type Value,
} from './values';

/** Over expressions: where assignments put values, where names read them, and the stores OBO102 looks at. */
export abstract class Names extends Expressions {
  protected bindName(name: string, vals: Vals, fn: FuncInfo, node: PyNode): void {
    if (fn.globalsDeclared.has(name) && fn.kind !== 'module') {
      if (this.ids.union(this.globalVar(fn.mod, name), vals)) {
        this.globalGrew(fn.mod, name);
      }
      for (const v of vals.flatMap((x) => userValuesIn(x))) {
        this.events.push({
          k: 'store',
          how: 'global',
          value: v,
          fn,
          site: { mod: fn.mod, node },
          target: name,
        });
      }
      return;
    }
    if (fn.kind === 'module') {
      if (this.ids.union(this.globalVar(fn.mod, name), vals)) {
        this.globalGrew(fn.mod, name);
      }
      return;
    }
    let cur = fn.locals.get(name);
    if (!cur) {
      cur = [];
      fn.locals.set(name, cur);
    }
    this.ids.union(cur, vals);
    if (this.flow && fn === this.flowFn) {
      if (this.weak) {
        this.flow.delete(name);
      } else {
        this.flow.set(name, [...vals]);
      }
    }
    if (fn.kind === 'classbody' && fn.cls) {
      if (this.ids.union(this.attrVar(fn.cls, name), vals)) {
        this.grewNamed(fn.cls, name);
      }
    }
  }

  /** A module global, about to be written by the unit being evaluated. */
  private globalVar(mod: ModuleModel, name: string): Vals {
    this.wrote(this.namedCell(mod, name));
    let g = mod.globals.get(name);
    if (!g) {
      g = [];
      mod.globals.set(name, g);
    }
    return g;
  }

  /** A class attribute, about to be written by the unit being evaluated. */
  private attrVar(cls: ClassInfo, name: string): Vals {
    this.wrote(this.namedCell(cls, name));
    let a = cls.attrs.get(name);
    if (!a) {
      a = [];
      cls.attrs.set(name, a);
    }
    return a;
  }

  protected lookup(name: string, fn: FuncInfo): Vals {
    const here = this.flow && fn === this.flowFn && !this.weak ? this.flow.get(name) : undefined;
    if (here) {
      return here;
    }
    for (let f: FuncInfo | undefined = fn; f; f = f.outer) {
      if (f.kind === 'module') {
        break;
      }
      // A class body's names are not visible inside its methods (Python scoping).
      if (f.kind === 'classbody' && f !== fn) {
        continue;
      }
      const v = f.locals.get(name);
      if (v) {
        return v;
      }
    }
    const g = this.readGlobal(fn.mod, name);
    if (g) {
      return g;
    }
    if (name === '__file__') {
      return [{ k: 'str', parts: [fn.mod.path] }];
    }
    return [];
  }

  protected assign(target: PyNode, vals: Vals, fn: FuncInfo): void {
    const src = fn.mod.src;
    switch (target.type) {
      case 'identifier':
        this.bindName(nameOf(src, target), vals, fn, target);
        return;
      case 'attribute': {
        const objNode = child(target, 'object');
        const attrNode = child(target, 'attribute');
        if (!objNode || !attrNode) {
          return;
        }
        const attr = textOf(src, attrNode);
        for (const o of this.expr(objNode, fn)) {
          if (o.k === 'inst' || o.k === 'class') {
            if (this.ids.union(this.attrVar(o.cls, attr), vals)) {
              this.grewNamed(o.cls, attr);
            }
            this.storeEvents(vals, o.k === 'inst' ? 'self' : 'class', fn, target, o.cls, textOf(src, target));
          } else if (o.k === 'module') {
            if (this.ids.union(this.globalVar(o.mod, attr), vals)) {
              this.globalGrew(o.mod, attr);
            }
            this.storeEvents(vals, 'global', fn, target, undefined, textOf(src, target));
          }
        }
        return;
      }
      case 'subscript': {
        const objNode = child(target, 'value');
        this.expr(target, fn);
        const keyNode = child(target, 'subscript');
        for (const d of objNode ? this.expr(objNode, fn) : []) {
          if (d.k === 'dict') {
            // `kw["auth_policy"] = policy`: the assignment is where the key is set.
            const key = keyNode ? this.keyOf(keyNode, fn) : undefined;
            this.dictSet(d, key, vals, { mod: fn.mod, node: target.parent ?? target });
          }
        }
        if (objNode?.type === 'identifier') {
          const name = textOf(src, objNode);
          const isGlobal =
            fn.kind !== 'module' && !fn.locals.has(name) && this.readGlobal(fn.mod, name) !== undefined;
          if (isGlobal || fn.globalsDeclared.has(name)) {
            this.storeEvents(vals, 'global', fn, target, undefined, textOf(src, target));
          }
        } else if (objNode?.type === 'attribute') {
          this.keptIn(objNode, vals, fn, target);
        }
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
        for (const c of target.children) {
          this.assign(c, [], fn);
        }
        return;
      case 'list_splat_pattern':
        if (target.children[0]) {
          this.assign(target.children[0], [], fn);
        }
        return;
      default:
        return;
    }
  }

  /** `self._tools[k] = v`, `self._tools.append(v)`: values kept in a container held by an object or class. */
  protected keptIn(container: PyNode, vals: Vals, fn: FuncInfo, node: PyNode): void {
    const owner = child(container, 'object');
    for (const o of owner ? this.expr(owner, fn) : []) {
      if (o.k === 'inst' || o.k === 'class') {
        const text = textOf(fn.mod.src, node);
        this.storeEvents(vals, o.k === 'inst' ? 'self' : 'class', fn, node, o.cls, text);
      }
    }
  }

  private storeEvents(
    vals: Vals,
    how: 'self' | 'class' | 'global',
    fn: FuncInfo,
    node: PyNode,
    cls: ClassInfo | undefined,
    target: string,
  ): void {
    for (const { value, via } of vals.flatMap((x) => this.kept(x))) {
      this.events.push({ k: 'store', how, value, fn, site: { mod: fn.mod, node }, cls, target, via });
    }
  }

  /**
   * The user-authorized values keeping `v` keeps: itself, what lists and dicts hold (a few levels deep), and, through
   * `via`, what a holder object or a closure over the enclosing function's locals keeps. Returned plain data (a
   * user name) is none of these.
   */
  protected kept(v: Value, depth = 0): { value: ClientValue | ConsumerValue; via?: Site }[] {
    if (isUserValue(v)) {
      return [{ value: v }];
    }
    if (v.k === 'holder') {
      return [{ value: v.held, via: v.site }];
    }
    if (v.k === 'func') {
      return this.captured(v.fn).map((value) => ({ value, via: { mod: v.fn.mod, node: v.fn.node } }));
    }
    if (depth >= 4 || (v.k !== 'list' && v.k !== 'dict')) {
      return [];
    }
    const inner = v.k === 'list' ? v.items : [...v.entries.values(), v.rest];
    const out = new Map<ClientValue | ConsumerValue, { value: ClientValue | ConsumerValue; via?: Site }>();
    for (const x of inner.flat().flatMap((y) => this.kept(y, depth + 1))) {
      if (!out.has(x.value)) {
        out.set(x.value, x);
      }
    }
    return [...out.values()];
  }

  /** The user-authorized values a nested function reads from the locals of the functions around it. */
  protected captured(inner: FuncInfo): (ClientValue | ConsumerValue)[] {
    const out: (ClientValue | ConsumerValue)[] = [];
    if (!inner.outer || inner.outer.kind === 'module') {
      return out;
    }
    for (const name of freeNames(inner)) {
      for (let f: FuncInfo | undefined = inner.outer; f && f.kind !== 'module'; f = f.outer) {
        // A class body's names are not visible inside its methods (as in `lookup`), nor kept by them.
        if (f.kind === 'classbody') {
          continue;
        }
        const vals = f.locals.get(name);
        if (vals) {
          out.push(...vals.filter(isUserValue));
          break;
        }
      }
    }
    return out;
  }
}

const freeNameCache = new WeakMap<PyNode, string[]>();

/** Names a function reads that are not its parameters or assigned in it: what it may take from enclosing scopes. */
function freeNames(fn: FuncInfo): string[] {
  const body = fn.body;
  if (!body) {
    return [];
  }
  let names = freeNameCache.get(body);
  if (!names) {
    const src = fn.mod.src;
    const read = new Set<string>();
    const bound = new Set(fn.params.map((p) => p.name));
    const walk = (n: PyNode) => {
      if (n.type === 'identifier') {
        // `obj.attr` and `f(key=...)` name no variable.
        if (n.field === 'attribute' || (n.field === 'name' && n.parent?.type === 'keyword_argument')) {
          return;
        }
        (n.field === 'left' && n.parent?.type === 'assignment' ? bound : read).add(textOf(src, n));
        return;
      }
      n.children.forEach(walk);
    };
    walk(body);
    names = [...read].filter((r) => !bound.has(r));
    freeNameCache.set(body, names);
  }
  return names;
}
