// The program model: modules, functions, classes and their syntax, indexed once per parse; analysis state lives beside it.
import type { PythonUnit } from '../sources/unit';
import { child, childrenOf, type PyNode, textOf } from '../python/tree';
import { SMALL_LINES } from '../python/statements';
import type { CallArgs, Site, Vals } from './values';

export type FuncKind = 'module' | 'function' | 'method' | 'classbody' | 'lambda';

export interface CallEdge {
  to: FuncInfo;
  site: Site;
}

export interface FuncInfo {
  name: string;
  /** `Agent.predict`, `create_tools`, `<module>`. */
  qualname: string;
  kind: FuncKind;
  node: PyNode;
  /** The statements (block) or expression (lambda) evaluated for this function. */
  body: PyNode | undefined;
  mod: ModuleModel;
  cls?: ClassInfo;
  /** The function whose body defines this one (nested defs, lambdas, class bodies). */
  outer?: FuncInfo;
  params: ParamInfo[];
  decorators: PyNode[];
  isAsync: boolean;
  // analysis state, reset by the interpreter
  paramVals: Map<string, Vals>;
  returns: Vals;
  locals: Map<string, Vals>;
  globalsDeclared: Set<string>;
  calls: CallEdge[];
  /** The caching decorator (`@lru_cache`...) that keeps this function's result across requests. */
  cacheDecorator?: PyNode;
}

export interface ParamInfo {
  name: string;
  node: PyNode;
  default?: PyNode;
  kind: 'normal' | 'star' | 'kwstar';
}

export interface ClassInfo {
  name: string;
  node: PyNode;
  mod: ModuleModel;
  baseNodes: PyNode[];
  methods: Map<string, FuncInfo>;
  body: FuncInfo;
  // analysis state
  attrs: Map<string, Vals>;
  /** Resolved: local base classes and external base names. */
  localBases: ClassInfo[];
  externalBases: string[];
}

export interface ModuleModel {
  unit: PythonUnit;
  path: string;
  src: string;
  root: PyNode;
  body: FuncInfo;
  functions: FuncInfo[];
  classes: ClassInfo[];
  /** Every `import` / `from … import` node, for OBO402/OBO403. */
  importNodes: PyNode[];
  /** Analysis state: module-level names. */
  globals: Map<string, Vals>;
  /** Local modules this one imports (filled while interpreting). */
  imports: Set<ModuleModel>;
  /** Set when analysis of this module ran out of its time budget. */
  truncated?: boolean;
  /** Milliseconds spent parsing and indexing it since the last run: they count against the same time budget. */
  prepMs?: number;
}

export function newFunc(
  mod: ModuleModel,
  kind: FuncKind,
  node: PyNode,
  name: string,
  qualname: string,
  body: PyNode | undefined,
  outer?: FuncInfo,
): FuncInfo {
  return {
    name,
    qualname,
    kind,
    node,
    body,
    mod,
    outer,
    params: [],
    decorators: [],
    isAsync: false,
    paramVals: new Map(),
    returns: [],
    locals: new Map(),
    globalsDeclared: new Set(),
    calls: [],
  };
}

/** Indexes a module's functions, methods, lambdas and classes. */
export function indexModule(unit: PythonUnit, root: PyNode, previous?: ModuleModel): ModuleModel {
  const fresh = {
    unit,
    path: unit.path,
    src: unit.text,
    root,
    functions: [],
    classes: [],
    importNodes: [],
    globals: new Map(),
    imports: new Set(),
  } as unknown as ModuleModel;
  // The same file re-indexed keeps its module object: values cached on kept nodes (string literals) still point at
  // the right module.
  // Its analysis state (globals, imports) is the interpreter's to reset or to update.
  const mod =
    previous?.path === unit.path
      ? Object.assign(previous, fresh, { globals: previous.globals, imports: previous.imports })
      : fresh;
  // The module body keeps its identity too: events of statements that were not evaluated again point at it.
  const body = previous === mod ? previous.body : undefined;
  if (body) {
    body.node = root;
    body.body = root;
  }
  mod.body = body ?? newFunc(mod, 'module', root, '<module>', '<module>', root);
  for (const c of root.children) {
    const frag = fragments.get(c);
    if (frag) {
      adoptFragment(mod, frag, mod.body);
      continue;
    }
    const before = counts(mod);
    indexNode(mod, c, mod.body, undefined, '');
    fragments.set(c, newFragment(mod, before, mod.body));
  }
  return mod;
}

/** What indexing one statement produced, kept so a reparse that reuses the statement reuses its index. */
interface Fragment {
  /** The function the statement belongs to (the module body, or the body of the class it is in). */
  body: FuncInfo;
  functions: FuncInfo[];
  classes: ClassInfo[];
  importNodes: PyNode[];
}

/**
 * Top-level statements (reused across reparses by convertTreeReusing, shifted in place) → their index; and the
 * statements of a top-level class's body, reused when the class holds the edit, → theirs (with `cls`).
 */
const fragments = new WeakMap<PyNode, Fragment>();
const bodyFragments = new WeakMap<PyNode, Fragment & { cls: ClassInfo }>();

function counts(mod: ModuleModel): { functions: number; classes: number; imports: number } {
  return { functions: mod.functions.length, classes: mod.classes.length, imports: mod.importNodes.length };
}

/**
 * The fragment of what was indexed since `before`, built as one literal: one shape for every fragment, its fields
 * in the object (a spread then a field added gave each of the thousands kept a property array and a map of its own).
 */
function newFragment(
  mod: ModuleModel,
  before: { functions: number; classes: number; imports: number },
  body: FuncInfo,
  cls?: ClassInfo,
): Fragment & { cls?: ClassInfo } {
  return {
    functions: mod.functions.slice(before.functions),
    classes: mod.classes.slice(before.classes),
    importNodes: mod.importNodes.slice(before.imports),
    body,
    cls,
  };
}

/**
 * Takes over the index of a statement the incremental conversion kept, so a keystroke re-indexes one statement
 * instead of the file (or the class).
 */
function adoptFragment(mod: ModuleModel, frag: Fragment, owner: FuncInfo): void {
  const oldBody = frag.body;
  for (const fn of frag.functions) {
    fn.mod = mod;
    if (fn.outer === oldBody) {
      fn.outer = owner;
    }
  }
  for (const c of frag.classes) {
    c.mod = mod;
  }
  mod.functions.push(...frag.functions);
  mod.classes.push(...frag.classes);
  mod.importNodes.push(...frag.importNodes);
  frag.body = owner;
}

/**
 * The class a top-level class statement, reparsed around an edit in its body, keeps: the one its reused body
 * statements belong to, when the name, the header nodes (bases) and the body statements the class body evaluates
 * itself (all but its method defs, `ownsStatement`) are the same. Its methods then stay the same objects, and the
 * interpreter re-evaluates only the defs that changed. Undefined otherwise: the class is indexed afresh.
 */
function keptClass(mod: ModuleModel, def: PyNode, name: string): ClassInfo | undefined {
  const body = child(def, 'body');
  let prev: ClassInfo | undefined;
  for (const s of body?.children ?? []) {
    prev = bodyFragments.get(s)?.cls;
    if (prev) {
      break;
    }
  }
  if (!prev || prev.mod !== mod || prev.name !== name || prev.node === def || mod.classes.includes(prev)) {
    return undefined;
  }
  const header = (n: PyNode) => n.children.filter((c) => c.field !== 'body');
  const own = (n: PyNode | undefined) => (n?.children ?? []).filter(ownsStatement);
  return sameNodes(header(prev.node), header(def)) && sameNodes(own(child(prev.node, 'body')), own(body))
    ? prev
    : undefined;
}

function sameNodes(a: PyNode[], b: PyNode[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

const owned = new WeakMap<PyNode, boolean>();

/**
 * Whether a class body evaluates this statement of its own, in order with the others: every statement but a method
 * def whose decorators and defaults bind no name (a walrus, a comprehension), which is a unit of its own.
 */
export function ownsStatement(s: PyNode): boolean {
  let yes = owned.get(s);
  if (yes === undefined) {
    const def = s.type === 'decorated_definition' ? child(s, 'definition') : s;
    yes =
      def?.type !== 'function_definition' ||
      (s !== def && s.children.some((c) => c.type === 'decorator' && bindsName(c))) ||
      bindsName(child(def, 'parameters'));
    owned.set(s, yes);
  }
  return yes;
}

function bindsName(n: PyNode | undefined): boolean {
  return (
    n !== undefined &&
    (n.type === 'named_expression' || n.type === 'for_in_clause' || n.children.some(bindsName))
  );
}

/**
 * A function's identity as a fresh index names it (path, qualified name, position), for tests that compare an
 * incremental index with a fresh one. Computed when asked, not stored: the position moves with every keystroke
 * above the function, and rewriting it into every kept function on every keystroke was garbage the young
 * generation had to copy.
 */
export function funcIdOf(fn: FuncInfo): string {
  return `${fn.mod.path}#${fn.qualname}@${fn.node.start}`;
}

/** A class's identity, as `funcIdOf`. */
export function classIdOf(c: ClassInfo): string {
  return `${c.mod.path}#class:${c.body.qualname}@${c.node.start}`;
}

function indexBlock(
  mod: ModuleModel,
  n: PyNode,
  owner: FuncInfo,
  cls: ClassInfo | undefined,
  prefix: string,
): void {
  for (const c of n.children) {
    indexNode(mod, c, owner, cls, prefix);
  }
}

function indexNode(
  mod: ModuleModel,
  n: PyNode,
  owner: FuncInfo,
  cls: ClassInfo | undefined,
  prefix: string,
): void {
  switch (n.type) {
    case 'decorated_definition': {
      const def = child(n, 'definition');
      if (def) {
        const info = indexNode2(mod, def, owner, cls, prefix);
        if (info && 'decorators' in info) {
          info.decorators = n.children.filter((c) => c.type === 'decorator');
        }
      }
      return;
    }
    case 'function_definition':
    case 'class_definition':
      indexNode2(mod, n, owner, cls, prefix);
      return;
    case 'lambda': {
      const fn = newFunc(mod, 'lambda', n, '<lambda>', `${prefix}<lambda>`, child(n, 'body'), owner);
      fn.params = paramsOf(mod, child(n, 'parameters'));
      mod.functions.push(fn);
      lambdaOf.set(n, fn);
      indexBlock(mod, n, fn, undefined, prefix);
      return;
    }
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
      mod.importNodes.push(n);
      return;
    default:
      indexBlock(mod, n, owner, cls, prefix);
  }
}

/** Lambdas by node, so the interpreter finds the FuncInfo it indexed. */
export const lambdaOf = new WeakMap<PyNode, FuncInfo>();
export const defOf = new WeakMap<PyNode, FuncInfo>();
export const classOf = new WeakMap<PyNode, ClassInfo>();

function indexNode2(
  mod: ModuleModel,
  def: PyNode,
  owner: FuncInfo,
  cls: ClassInfo | undefined,
  prefix: string,
): FuncInfo | ClassInfo | undefined {
  const nameNode = child(def, 'name');
  const name = nameNode ? textOf(mod.src, nameNode) : '<anonymous>';
  if (def.type === 'function_definition') {
    const kind = cls && owner === cls.body ? 'method' : 'function';
    const fn = newFunc(
      mod,
      kind,
      def,
      name,
      `${prefix}${name}`,
      child(def, 'body'),
      owner.kind === 'module' ? undefined : owner,
    );
    fn.isAsync = mod.src.slice(def.start, def.start + 5) === 'async';
    fn.params = paramsOf(mod, child(def, 'parameters'));
    if (kind === 'method' && cls) {
      fn.cls = cls;
      cls.methods.set(name, fn);
    }
    mod.functions.push(fn);
    defOf.set(def, fn);
    // Default values and annotations are evaluated by the owner; the body belongs to the function.
    const body = child(def, 'body');
    if (body) {
      indexBlock(mod, body, fn, undefined, `${prefix}${name}.`);
    }
    for (const p of fn.params) {
      if (p.default) {
        indexNode(mod, p.default, owner, cls, prefix);
      }
    }
    return fn;
  }
  const body = child(def, 'body');
  const kept = owner === mod.body && def.parent === mod.root ? keptClass(mod, def, name) : undefined;
  const info: ClassInfo = kept ?? {
    name,
    node: def,
    mod,
    baseNodes: [],
    methods: new Map(),
    body: newFunc(mod, 'classbody', def, name, `${prefix}${name}`, body, owner),
    attrs: new Map(),
    localBases: [],
    externalBases: [],
  };
  // A kept class takes its new node (and, with it, positions); its analysis state is the interpreter's.
  info.node = def;
  info.baseNodes = child(def, 'superclasses')?.children.filter((c) => c.type !== 'keyword_argument') ?? [];
  info.body.cls = info;
  info.body.node = def;
  info.body.body = body;
  mod.classes.push(info);
  const first = mod.functions.push(info.body);
  classOf.set(def, info);
  for (const s of body?.children ?? []) {
    const frag = kept && bodyFragments.get(s);
    if (frag && frag.cls === info) {
      adoptFragment(mod, frag, info.body);
      continue;
    }
    const before = counts(mod);
    indexNode(mod, s, info.body, info, `${prefix}${name}.`);
    // Only a class long enough to be reparsed with the file can be kept (a shorter one is parsed alone: new nodes),
    // and every statement of every class in an indexed workspace held its own fragment (about 2 MB of 44).
    if (def.parent === mod.root && def.end - def.start > SMALL_LINES) {
      bodyFragments.set(s, newFragment(mod, before, info.body, info) as Fragment & { cls: ClassInfo });
    }
  }
  // In index order, as a fresh index sets them (the phases start from them in this order): of two defs of one name,
  // the later wins.
  info.methods = new Map();
  for (let i = first; i < mod.functions.length; i++) {
    const fn = mod.functions[i];
    if (fn.cls === info && fn.kind === 'method') {
      info.methods.set(fn.name, fn);
    }
  }
  return info;
}

function paramsOf(mod: ModuleModel, params: PyNode | undefined): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const p of params?.children ?? []) {
    switch (p.type) {
      case 'identifier':
        out.push({ name: textOf(mod.src, p), node: p, kind: 'normal' });
        break;
      case 'typed_parameter': {
        const id = p.children.find((c) => c.type === 'identifier');
        const splat = p.children.find(
          (c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern',
        );
        if (id) {
          out.push({ name: textOf(mod.src, id), node: p, kind: 'normal' });
        } else if (splat) {
          out.push(splatParam(mod, splat));
        }
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const id = child(p, 'name');
        if (id) {
          out.push({ name: textOf(mod.src, id), node: p, default: child(p, 'value'), kind: 'normal' });
        }
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        out.push(splatParam(mod, p));
        break;
      default:
        break;
    }
  }
  return out;
}

function splatParam(mod: ModuleModel, p: PyNode): ParamInfo {
  const id = p.children.find((c) => c.type === 'identifier');
  return {
    name: id ? textOf(mod.src, id) : '*',
    node: p,
    kind: p.type === 'list_splat_pattern' ? 'star' : 'kwstar',
  };
}

/** Clears analysis state before a new run over the same indexed modules. */
export function resetState(mod: ModuleModel): void {
  // Cleared in place: a keystroke re-runs this for every function of the file.
  mod.globals.clear();
  mod.imports.clear();
  mod.truncated = false;
  for (const fn of mod.functions.concat(mod.body)) {
    fn.paramVals.clear();
    fn.returns = [];
    fn.locals.clear();
    fn.globalsDeclared.clear();
    fn.calls = [];
    fn.cacheDecorator = undefined;
  }
  for (const c of mod.classes) {
    c.attrs = new Map();
    c.localBases = [];
    c.externalBases = [];
  }
}

/** Shared by every call without keywords (most calls): never written, `args()` makes its own on the first one. */
export const NO_KEYWORDS = new Map<string, never>();

export function argsEmpty(): CallArgs {
  return {
    pos: [],
    kw: NO_KEYWORDS as unknown as Map<string, Vals>,
    kwNodes: NO_KEYWORDS as unknown as Map<string, PyNode>,
    posNodes: [],
    splat: false,
  };
}

export { childrenOf };
