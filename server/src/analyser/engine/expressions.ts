// Expressions: names, literals (strings with their known parts), operators, attributes and members, comprehensions.
import { child, nameOf, type PyNode, textOf } from '../python/tree';
import { Calls } from './calls';
import { BASES } from './cells';
import { dirnameOf } from './paths';
import { lambdaOf, type ClassInfo, type FuncInfo } from './program';
import {
  concatStrings,
  firstKnownString,
  mergeParts,
  str,
  UNKNOWN_STR,
  type Vals,
  type Value,
} from './values';

/** Over calls: the value of each expression. */
export abstract class Expressions extends Calls {
  protected abstract lookup(name: string, fn: FuncInfo): Vals;
  protected abstract assign(target: PyNode, vals: Vals, fn: FuncInfo): void;
  protected abstract block(n: PyNode, fn: FuncInfo): void;

  protected iterate(vals: Vals): Vals {
    const out: Vals = [];
    for (const v of vals) {
      if (v.k === 'list') {
        for (const item of v.items) {
          this.ids.union(out, item);
        }
      }
    }
    return out;
  }

  expr(n: PyNode, fn: FuncInfo): Vals {
    this.tick();
    const src = fn.mod.src;
    switch (n.type) {
      case 'identifier':
        return this.lookup(nameOf(src, n), fn);
      case 'string':
        return [this.stringValue(n, fn)];
      case 'concatenated_string': {
        let acc: Value = { k: 'str', parts: [''], site: { mod: fn.mod, node: n } };
        for (const c of n.children) {
          acc = concatStrings(acc, this.stringValue(c, fn), { mod: fn.mod, node: n });
        }
        return [acc];
      }
      case 'integer':
      case 'float':
      case 'none':
        return [{ k: 'const' }];
      case 'true':
      case 'false':
        return [{ k: 'bool', value: n.type === 'true' }];
      case 'list':
      case 'tuple':
      case 'set':
        return [
          {
            k: 'list',
            items: n.children.map((c) =>
              c.type === 'list_splat' ? (this.expr(c, fn), []) : this.expr(c, fn),
            ),
            site: { mod: fn.mod, node: n },
          },
        ];
      case 'dictionary':
        return [this.dictLiteral(n, fn)];
      case 'parenthesized_expression':
      case 'await':
      case 'expression_list':
        return n.children.length === 1 && n.children[0] ? this.expr(n.children[0], fn) : this.all(n, fn);
      case 'conditional_expression': {
        const out: Vals = [];
        n.children.forEach((c, i) => {
          const v = this.expr(c, fn);
          if (i !== 1) {
            this.ids.union(out, v);
          }
        });
        return out;
      }
      case 'boolean_operator': {
        const out: Vals = [];
        for (const c of n.children) {
          this.ids.union(out, this.expr(c, fn));
        }
        return out;
      }
      case 'binary_operator':
        return this.binary(n, fn);
      case 'call':
        return this.call(n, fn);
      case 'subscript': {
        // `ResponsesAgent["A"]`, `Base[int]`: a parametrised class is the class (bases, aliases, calls).
        const [value = []] = n.children.map((c) => this.expr(c, fn));
        const out = value.filter((v) => v.k === 'ext' || v.k === 'class');
        const keyNode = child(n, 'subscript');
        const key = keyNode && value.some((v) => v.k === 'dict') ? this.keyOf(keyNode, fn) : undefined;
        for (const d of key === undefined ? [] : value) {
          if (d.k === 'dict') {
            this.ids.union(out, this.dictRead(d).entries.find((e) => e.key === key)?.vals ?? []);
          }
        }
        return out;
      }
      case 'attribute':
        return this.attribute(n, fn);
      case 'assignment':
      case 'augmented_assignment': {
        const right = child(n, 'right');
        const left = child(n, 'left');
        let vals = right ? this.expr(right, fn) : [];
        if (n.type === 'augmented_assignment' && left) {
          const prev = this.expr(left, fn);
          vals = prev.length && vals.length ? [concatStrings(prev[0], vals[0])] : [];
        }
        if (left) {
          this.assign(left, vals, fn);
        }
        return vals;
      }
      case 'named_expression': {
        const value = child(n, 'value');
        const vals = value ? this.expr(value, fn) : [];
        const name = child(n, 'name');
        if (name) {
          this.assign(name, vals, fn);
        }
        return vals;
      }
      case 'lambda': {
        const target = lambdaOf.get(n);
        return target ? [{ k: 'func', fn: target }] : [];
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        for (const c of n.children) {
          if (c.type === 'for_in_clause') {
            this.stmt(c, fn);
          } else if (c.type === 'if_clause') {
            this.all(c, fn);
          }
        }
        const body = child(n, 'body');
        const vals = body ? this.expr(body, fn) : [];
        return [{ k: 'list', items: [vals], site: { mod: fn.mod, node: n } }];
      }
      default:
        return this.all(n, fn);
    }
  }

  /** Evaluates every child for its effects; the value is unknown. */
  private all(n: PyNode, fn: FuncInfo): Vals {
    for (const c of n.children) {
      if (c.type === 'block') {
        this.block(c, fn);
      } else {
        this.expr(c, fn);
      }
    }
    return [];
  }

  private stringValue(n: PyNode, fn: FuncInfo): Value {
    const src = fn.mod.src;
    if (n.type !== 'string') {
      return UNKNOWN_STR;
    }
    // A plain literal's value depends only on its text and module: kept on the node, across runs too.
    const cached = n.lit as Value | undefined;
    if (cached?.k === 'str' && cached.site?.mod === fn.mod) {
      return cached;
    }
    const value = this.stringValueOf(n, fn, src);
    if (!n.children.some((c) => c.type === 'interpolation')) {
      n.lit = value;
    }
    return value;
  }

  private stringValueOf(n: PyNode, fn: FuncInfo, src: string): Value {
    const parts: (string | null)[] = [];
    let raw = false;
    for (const c of n.children) {
      if (c.type === 'string_start') {
        raw = /[rR]/.test(textOf(src, c));
      } else if (c.type === 'string_content') {
        parts.push(textOf(src, c));
      } else if (c.type === 'escape_sequence') {
        parts.push(raw ? textOf(src, c) : unescape(textOf(src, c)));
      } else if (c.type === 'interpolation') {
        const e = child(c, 'expression');
        const s = e ? firstKnownString(this.expr(e, fn)) : undefined;
        parts.push(s ?? null);
      }
    }
    return { k: 'str', parts: mergeParts(parts.length ? parts : ['']), site: { mod: fn.mod, node: n } };
  }

  private binary(n: PyNode, fn: FuncInfo): Vals {
    const left = child(n, 'left');
    const right = child(n, 'right');
    const op = child(n, 'operator');
    const lv = left ? this.expr(left, fn) : [];
    const rv = right ? this.expr(right, fn) : [];
    const opText = op ? textOf(fn.mod.src, op) : '';
    // An unknown left side of `+` (`w.config.host + "/api/..."`) is an unknown string, unless it is a list.
    const l = lv.find((v) => v.k === 'str') ?? (lv.some((v) => v.k === 'list') ? undefined : UNKNOWN_STR);
    const r = rv.find((v) => v.k === 'str') ?? UNKNOWN_STR;
    if (opText === '+' && l) {
      return [concatStrings(l, r, { mod: fn.mod, node: n })];
    }
    if (opText === '+' && lv.some((v) => v.k === 'list')) {
      const items: Vals[] = [];
      for (const v of [...lv, ...rv]) {
        if (v.k === 'list') {
          items.push(...v.items);
        }
      }
      return [{ k: 'list', items, site: { mod: fn.mod, node: n } }];
    }
    if (opText === '/') {
      // pathlib: Path(a) / "agent.py"
      return [concatStrings(concatStrings(l ?? UNKNOWN_STR, str('/')), r, { mod: fn.mod, node: n })];
    }
    if (opText === '%') {
      return [UNKNOWN_STR];
    }
    return [];
  }

  private attribute(n: PyNode, fn: FuncInfo): Vals {
    const objNode = child(n, 'object');
    const attrNode = child(n, 'attribute');
    if (!objNode || !attrNode) {
      return [];
    }
    const attr = nameOf(fn.mod.src, attrNode);
    const out: Vals = [];
    for (const o of this.expr(objNode, fn)) {
      switch (o.k) {
        case 'ext':
          out.push(this.externalAttr(`${o.name}.${attr}`, fn, n));
          break;
        case 'module':
          this.ids.union(out, this.readGlobal(o.mod, attr) ?? []);
          break;
        case 'client':
          out.push({ k: 'attr', base: o, path: [attr] });
          break;
        case 'attr':
          out.push({ k: 'attr', base: o.base, path: [...o.path, attr] });
          break;
        case 'inst':
        case 'class':
          this.ids.union(out, this.member(o.cls, attr, o.k === 'inst', fn, n));
          break;
        case 'str':
          if (attr === 'parent') {
            // Path(__file__).parent: the folder is known when the path is.
            out.push(dirnameOf(o));
          }
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** `obj.attr` on a local class: data attributes, methods (bound), properties (called). */
  private member(
    cls: ClassInfo,
    attr: string,
    onInstance: boolean,
    fn: FuncInfo,
    node: PyNode,
    seen = new Set<ClassInfo>(),
  ): Vals {
    if (seen.has(cls)) {
      return [];
    }
    seen.add(cls);
    // (Read even when a method answers: a def that comes or goes changes the answer, see `methodCell`.)
    this.readNamed(cls, attr);
    const method = cls.methods.get(attr);
    if (method) {
      const isProperty = method.decorators.some((d) => /property$/.test(textOf(cls.mod.src, d)));
      if (isProperty && onInstance) {
        fn.calls.push({ to: method, site: { mod: fn.mod, node } });
        this.read(method.returns);
        return [...method.returns];
      }
      return [onInstance ? { k: 'bound', fn: method, self: cls } : { k: 'func', fn: method }];
    }
    const data = cls.attrs.get(attr);
    if (data?.length) {
      return data;
    }
    this.readNamed(cls, BASES);
    for (const b of cls.localBases) {
      const v = this.member(b, attr, onInstance, fn, node, seen);
      if (v.length) {
        return v;
      }
    }
    return [];
  }
}

function unescape(esc: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '0': '\0',
  };
  const c = esc[1];
  if (c && simple[c] !== undefined && esc.length === 2) {
    return simple[c];
  }
  if (c === 'x' || c === 'u' || c === 'U') {
    const code = parseInt(esc.slice(2), 16);
    return Number.isFinite(code) ? String.fromCodePoint(code) : esc;
  }
  return esc.length === 2 && c === '\n' ? '' : esc;
}
