// Finds agent classes and modules, and decides when each function runs: while the agent loads, or per request.
import type { CatalogIndex } from '../../catalog/lookup';
import type { CallEdge, ClassInfo, FuncInfo, ModuleModel } from '../engine/program';
import type { Event } from '../engine/events';
import type { Site } from '../engine/values';
import { child, textOf } from '../python/tree';

export interface AgentClass {
  cls: ClassInfo;
  /** `ResponsesAgent`, `ChatAgent`, `ChatModel` or `PythonModel`. */
  kind: string;
}

/** `script`: only reached from an `if __name__ == "__main__":` block, which serving never runs. */
export type Phase = 'init' | 'request' | 'script' | 'unknown';

/** How a function is reached from a root: the chain of call edges, root first. */
export type CallPath = CallEdge[];

export interface PhaseMap {
  phase(fn: FuncInfo): Phase;
  /** The call path from an init root to `fn`, when `fn` runs at init. */
  initPath(fn: FuncInfo): { root: FuncInfo; path: CallPath } | undefined;
}

const MAIN_GUARDS = new Set([
  '__name__=="__main__"',
  "__name__=='__main__'",
  '"__main__"==__name__',
  "'__main__'==__name__",
]);

/** Is the site inside the body of `if __name__ == "__main__":`? Model Serving imports the file, so that code never runs there. */
export function underMainGuard(site: Site): boolean {
  for (let n = site.node; n.parent; n = n.parent) {
    const p = n.parent;
    if (p.type === 'if_statement' && n.field === 'consequence') {
      const cond = child(p, 'condition');
      if (cond && MAIN_GUARDS.has(textOf(site.mod.src, cond).replace(/\s+/g, ''))) {
        return true;
      }
    }
  }
  return false;
}

export function agentKind(
  cls: ClassInfo,
  cat: CatalogIndex,
  seen = new Set<ClassInfo>(),
): string | undefined {
  if (seen.has(cls)) {
    return undefined;
  }
  seen.add(cls);
  for (const b of cls.externalBases) {
    if (cat.is('agentBases', b)) {
      return b.slice(b.lastIndexOf('.') + 1);
    }
  }
  for (const b of cls.localBases) {
    const k = agentKind(b, cat, seen);
    if (k) {
      return k;
    }
  }
  return undefined;
}

export function findAgentClasses(mods: ModuleModel[], cat: CatalogIndex): AgentClass[] {
  const out: AgentClass[] = [];
  for (const m of mods) {
    for (const cls of m.classes) {
      const kind = agentKind(cls, cat);
      if (kind) {
        out.push({ cls, kind });
      }
    }
  }
  return out;
}

/** Modules that are agents: they define an agent class or call set_model. */
export function agentModules(agents: AgentClass[], events: Event[]): Set<ModuleModel> {
  const out = new Set<ModuleModel>(agents.map((a) => a.cls.mod));
  for (const e of events) {
    if (e.k === 'setModel') {
      out.add(e.site.mod);
    }
  }
  return out;
}

/** The agent module plus every local module it imports, transitively: all that is loaded in serving. */
export function agentScope(mod: ModuleModel): Set<ModuleModel> {
  const out = new Set<ModuleModel>();
  const stack = [mod];
  while (stack.length) {
    const m = stack.pop() as ModuleModel;
    if (out.has(m)) {
      continue;
    }
    out.add(m);
    stack.push(...m.imports);
  }
  return out;
}

/**
 * Breadth-first over call edges from the roots. Init roots: the top level of agent modules (which also runs the
 * modules they import) and `__init__`/`load_context` of agent classes. Request roots: `predict` & co.
 */
export function computePhases(
  agentMods: Set<ModuleModel>,
  agents: AgentClass[],
  initMethods: string[],
  requestMethods: string[],
): PhaseMap {
  const initRoots: FuncInfo[] = [...agentMods].map((m) => m.body);
  const requestRoots: FuncInfo[] = [];
  for (const a of agents) {
    for (const [name, fn] of a.cls.methods) {
      if (initMethods.includes(name)) {
        initRoots.push(fn);
      } else if (requestMethods.includes(name)) {
        requestRoots.push(fn);
      }
    }
  }
  const init = reach(initRoots);
  const request = reach(requestRoots);
  const scriptRoots = [...init.keys()].flatMap((fn) =>
    fn.calls.filter((e) => underMainGuard(e.site)).map((e) => e.to),
  );
  const script = reach(scriptRoots);
  return {
    phase(fn) {
      if (init.has(fn)) {
        return 'init';
      }
      if (request.has(fn)) {
        return 'request';
      }
      return script.has(fn) ? 'script' : 'unknown';
    },
    initPath(fn) {
      const hit = init.get(fn);
      if (!hit) {
        return undefined;
      }
      const path: CallPath = [];
      let cur: { root: FuncInfo; via?: CallEdge; from?: FuncInfo } | undefined = hit;
      let guard = 0;
      while (cur?.via && guard++ < 64) {
        path.unshift(cur.via);
        cur = cur.from ? init.get(cur.from) : undefined;
      }
      return { root: hit.root, path };
    },
  };
}

interface Reached {
  root: FuncInfo;
  via?: CallEdge;
  from?: FuncInfo;
}

function reach(roots: FuncInfo[]): Map<FuncInfo, Reached> {
  const seen = new Map<FuncInfo, Reached>();
  const queue: FuncInfo[] = [];
  for (const r of roots) {
    if (!seen.has(r)) {
      seen.set(r, { root: r });
      queue.push(r);
    }
  }
  while (queue.length) {
    const fn = queue.shift() as FuncInfo;
    const root = (seen.get(fn) as Reached).root;
    for (const edge of fn.calls) {
      if (!seen.has(edge.to) && !underMainGuard(edge.site)) {
        seen.set(edge.to, { root, via: edge, from: fn });
        queue.push(edge.to);
      }
    }
    // A class body (and a nested def that is called) runs as part of its owner.
  }
  return seen;
}
