// Statements: blocks, returns, imports, definitions (functions and classes), loops, with, try and if (via Flow).
import { child, type PyNode, textOf } from '../python/tree';
import { BASES } from './cells';
import { Names } from './names';
import { classOf, defOf, type ClassInfo, type FuncInfo, type ModuleModel } from './program';
import type { Vals, Value } from './values';

/** Over names: each statement's effect on the scope it runs in. */
export abstract class Statements extends Names {
  protected addReturn(fn: FuncInfo, vals: Vals): void {
    this.wrote(fn.returns);
    if (this.ids.union(fn.returns, vals)) {
      this.grew(fn.returns);
    }
  }

  protected classBases(cls: ClassInfo, scope: FuncInfo): void {
    const locals: ClassInfo[] = [];
    const externals: string[] = [];
    for (const b of cls.baseNodes) {
      for (const v of this.expr(b, scope)) {
        if (v.k === 'class') {
          locals.push(v.cls);
        } else if (v.k === 'ext') {
          externals.push(v.name);
        }
      }
    }
    this.wrote(this.namedCell(cls, BASES));
    const grew =
      locals.some((c) => !cls.localBases.includes(c)) ||
      externals.some((e) => !cls.externalBases.includes(e));
    cls.localBases = locals;
    cls.externalBases = externals;
    if (grew) {
      // Methods looked up through the bases before they were known: look again.
      this.grewNamed(cls, BASES);
    }
  }

  protected decoratorName(fn: FuncInfo, d: PyNode): string {
    let e = d.children[0];
    if (e?.type === 'call') {
      e = child(e, 'function') ?? e;
    }
    if (!e) {
      return '';
    }
    const scope = fn.outer ?? (fn.cls ? fn.cls.body : fn.mod.body);
    for (const v of this.expr(e, scope)) {
      if (v.k === 'ext') {
        return v.name;
      }
    }
    return textOf(fn.mod.src, e);
  }

  protected block(n: PyNode, fn: FuncInfo): void {
    for (const s of n.children) {
      this.stmt(s, fn);
    }
  }

  protected stmt(s: PyNode, fn: FuncInfo): void {
    this.tick();
    switch (s.type) {
      case 'expression_statement':
        for (const c of s.children) {
          this.expr(c, fn);
        }
        return;
      case 'return_statement': {
        const vals: Vals = [];
        for (const c of s.children) {
          this.ids.union(vals, this.expr(c, fn));
        }
        // A closure returned while this function's locals are known: what it captures travels with it.
        for (const v of [...vals]) {
          if (v.k === 'func') {
            const site = { mod: v.fn.mod, node: v.fn.node };
            this.ids.union(
              vals,
              this.captured(v.fn).map((held): Value => ({ k: 'holder', held, site })),
            );
          }
        }
        this.addReturn(fn, vals);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of s.children) {
          if (c.type === 'identifier') {
            fn.globalsDeclared.add(textOf(fn.mod.src, c));
          }
        }
        return;
      case 'import_statement':
      case 'import_from_statement':
        this.importStmt(s, fn);
        return;
      case 'decorated_definition': {
        const def = child(s, 'definition');
        if (def) {
          this.definition(
            def,
            fn,
            s.children.filter((c) => c.type === 'decorator'),
          );
        }
        return;
      }
      case 'function_definition':
      case 'class_definition':
        this.definition(s, fn, []);
        return;
      case 'if_statement':
        return this.flowing(fn) ? this.ifFlow(s, fn) : this.visit(s, fn);
      case 'try_statement':
        return this.flowing(fn) ? this.tryFlow(s, fn) : this.visit(s, fn);
      case 'while_statement':
      case 'match_statement':
        return this.loopFlow(() => this.visit(s, fn));
      case 'for_statement':
        return this.loopFlow(() => this.forStmt(s, fn));
      case 'for_in_clause':
        return this.forStmt(s, fn);
      case 'with_statement':
        for (const c of s.children) {
          if (c.type === 'with_clause') {
            for (const item of c.children) {
              const value = child(item, 'value');
              if (value?.type === 'as_pattern') {
                const vals = value.children[0] ? this.expr(value.children[0], fn) : [];
                const target = child(value, 'alias');
                if (target) {
                  this.assign(target.children[0] ?? target, vals, fn);
                }
              } else if (value) {
                this.expr(value, fn);
              }
            }
          } else {
            this.stmt(c, fn);
          }
        }
        return;
      case 'except_clause':
        for (const c of s.children) {
          if (c.type === 'block') {
            this.block(c, fn);
          } else if (c.type === 'as_pattern') {
            const alias = child(c, 'alias');
            if (alias) {
              this.assign(alias.children[0] ?? alias, [], fn);
            }
          }
        }
        return;
      case 'block':
        this.block(s, fn);
        return;
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'future_import_statement':
        return;
      default:
        this.visit(s, fn);
    }
  }

  /** if/while/try/match/else/elif/finally and error-recovered nodes: visit children in order. */
  private visit(s: PyNode, fn: FuncInfo): void {
    for (const c of s.children) {
      if (
        c.type === 'block' ||
        c.type.endsWith('_clause') ||
        c.type.endsWith('_statement') ||
        c.type === 'ERROR'
      ) {
        this.stmt(c, fn);
      } else {
        this.expr(c, fn);
      }
    }
  }

  private forStmt(s: PyNode, fn: FuncInfo): void {
    const right = child(s, 'right');
    const items = right ? this.iterate(this.expr(right, fn)) : [];
    const left = child(s, 'left');
    if (left) {
      this.assign(left, items, fn);
    }
    this.rest(s, fn, ['left', 'right']);
  }

  private rest(s: PyNode, fn: FuncInfo, skip: string[]): void {
    for (const c of s.children) {
      if (c.field && skip.includes(c.field)) {
        continue;
      }
      this.stmt(c, fn);
    }
  }

  private definition(def: PyNode, fn: FuncInfo, decorators: PyNode[]): void {
    const nameNode = child(def, 'name');
    const name = nameNode ? textOf(fn.mod.src, nameNode) : '';
    if (def.type === 'function_definition') {
      const target = defOf.get(def);
      if (!target) {
        return;
      }
      for (const d of decorators) {
        for (const c of d.children) {
          this.expr(c, fn);
        }
        if (this.cat.is('cachingDecorators', this.decoratorName(target, d))) {
          target.cacheDecorator = d;
        }
      }
      for (const p of target.params) {
        if (p.default) {
          this.expr(p.default, fn);
        }
      }
      if (fn.kind === 'classbody' && fn.cls) {
        return; // methods are reached through the class, not bound as names
      }
      this.bindName(name, [{ k: 'func', fn: target }], fn, def);
      return;
    }
    const cls = classOf.get(def);
    if (!cls) {
      return;
    }
    for (const d of decorators) {
      for (const c of d.children) {
        this.expr(c, fn);
      }
    }
    // The class body runs when the definition does: it is a call from here.
    fn.calls.push({ to: cls.body, site: { mod: fn.mod, node: def } });
    this.bindName(name, [{ k: 'class', cls }], fn, def);
  }

  private importStmt(s: PyNode, fn: FuncInfo): void {
    const src = fn.mod.src;
    if (s.type === 'import_statement') {
      for (const c of s.children) {
        const dotted = c.type === 'aliased_import' ? child(c, 'name') : c;
        const alias = c.type === 'aliased_import' ? child(c, 'alias') : undefined;
        if (!dotted) {
          continue;
        }
        const full = textOf(src, dotted);
        const local = this.loadModule(fn, full, 0, s);
        if (alias) {
          this.bindName(
            textOf(src, alias),
            [local ? { k: 'module', mod: local } : { k: 'ext', name: full }],
            fn,
            s,
          );
        } else {
          const top = full.split('.')[0];
          const topLocal = top === full ? local : this.resolve(fn.mod, top, 0);
          this.bindName(top, [topLocal ? { k: 'module', mod: topLocal } : { k: 'ext', name: top }], fn, s);
        }
      }
      return;
    }
    const modNode = child(s, 'module_name');
    if (!modNode) {
      return;
    }
    const raw = textOf(src, modNode);
    const level = raw.length - raw.replace(/^\.+/, '').length;
    const dotted = raw.slice(level);
    const local = dotted || level ? this.loadModule(fn, dotted, level, s) : undefined;
    for (const c of s.children) {
      if (c === modNode || (c.field !== 'name' && c.type !== 'wildcard_import')) {
        continue;
      }
      if (c.type === 'wildcard_import') {
        if (local) {
          this.readNamed(local, '*');
          for (const [k, v] of local.globals) {
            this.bindName(k, v, fn, s);
          }
        }
        continue;
      }
      const nameNode = c.type === 'aliased_import' ? child(c, 'name') : c;
      const aliasNode = c.type === 'aliased_import' ? child(c, 'alias') : c;
      if (!nameNode || !aliasNode) {
        continue;
      }
      const name = textOf(src, nameNode);
      let vals: Vals;
      if (local) {
        const sub = this.resolve(local, name, 1);
        vals = this.readGlobal(local, name) ?? (sub ? [{ k: 'module', mod: this.track(fn, sub, s) }] : []);
      } else if (!dotted) {
        const sub = this.loadModule(fn, name, level, s);
        vals = sub ? [{ k: 'module', mod: sub }] : [];
      } else {
        vals = [{ k: 'ext', name: `${dotted}.${name}` }];
      }
      this.bindName(textOf(src, aliasNode), vals, fn, s);
    }
  }

  private loadModule(fn: FuncInfo, dotted: string, level: number, s: PyNode): ModuleModel | undefined {
    const m = this.resolve(fn.mod, dotted, level);
    return m ? this.track(fn, m, s) : undefined;
  }

  /** Importing a module runs its top level: an edge from the importer, and the module joins the run. */
  private track(fn: FuncInfo, m: ModuleModel, s: PyNode): ModuleModel {
    if (m === fn.mod) {
      return m;
    }
    this.join(m);
    fn.mod.imports.add(m);
    fn.calls.push({ to: m.body, site: { mod: fn.mod, node: s } });
    return m;
  }
}
