// OBO101 (user client built while the agent loads) and OBO102 (user client kept beyond the request).
import * as path from 'path';
import type { Event } from '../engine/events';
import type { FuncInfo, ModuleModel } from '../engine/program';
import { argOf, userValues, userValuesIn, type ClientValue, type ConsumerValue } from '../engine/values';
import { underMainGuard, type AgentClass, type PhaseMap } from '../obo/agents';
import { type PyNode, textOf } from '../python/tree';
import { locOf } from '../engine/locations';
import type { RelatedInfo } from '../model';
import { type FindingSink, q } from './context';
import { moveToPredictFix } from '../fixes/moveToPredict';

function describeValue(v: ClientValue | ConsumerValue): string {
  const t = textOf(v.site.mod.src, v.site.node).replace(/\s+/g, ' ');
  const name = t.slice(0, t.indexOf('(') > 0 ? t.indexOf('(') : t.length);
  if (v.k === 'client') {
    return `${q(name)} (a user-authorized client)`;
  }
  return v.row.holdsTools
    ? `${q(name)} (holding user-authorized tools)`
    : `${q(name)} (built on a user-authorized client)`;
}

/** The first line of a construct, shortened, for messages. */
function snippet(s: { mod: ModuleModel; node: PyNode }): string {
  const line = textOf(s.mod.src, s.node).split('\n')[0].trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

function rootText(fn: FuncInfo): string {
  if (fn.kind === 'module') {
    return `the top level of ${path.basename(fn.mod.path)}`;
  }
  return q(fn.qualname);
}

/**
 * The user-authorized values a consumer was given (its client parameter, or a wrong keyword standing for it); for a
 * holder, the user-authorized tools in its tools argument.
 */
function userFeeds(v: ConsumerValue): (ClientValue | ConsumerValue)[] {
  const { row, args } = v;
  const vals = [
    ...argOf(args, row.clientParam.keyword, row.clientParam.position),
    ...Object.keys(row.wrongKeywords ?? {}).flatMap((k) => args.kw.get(k) ?? []),
  ];
  // One per construction: the same tool may sit in two lists (`tools=[t]` and `ToolNode([t])`).
  return [...new Map(vals.flatMap((x) => userValuesIn(x)).map((f) => [f.site.node, f])).values()];
}

export function lifecycleRules(
  sink: FindingSink,
  events: Event[],
  phases: PhaseMap,
  agents: AgentClass[],
  scopeMods: Set<ModuleModel>,
  requestMethods: string[],
): void {
  // Where each client or consumer was built, to tell which values can exist at load time at all.
  const builtIn = new Map<PyNode, FuncInfo>();
  for (const e of events) {
    if (e.k === 'client' || e.k === 'consumer') {
      builtIn.set(e.value.site.node, e.fn);
    }
  }
  // A helper called both at load (with a system client) and per request (with a user client) is analysed once for
  // both: its consumer only gets a user client at load if some user client it receives is itself built at load.
  const phaseOf = (v: ClientValue | ConsumerValue) => {
    const fn = builtIn.get(v.site.node);
    return fn ? phases.phase(fn) : 'unknown';
  };
  const userAtLoad = (v: ConsumerValue) => userFeeds(v).some((f) => phaseOf(f) !== 'request');
  // The constructions OBO101 reports (suppressed or not): keeping one of them is the same mistake, reported once.
  const builtAtLoad = new Set<PyNode>();
  for (const e of events) {
    if (
      (e.k === 'client' || e.k === 'consumer') &&
      e.value.user &&
      // A holder calls nothing when built: the tools it keeps are reported where they are built.
      !(e.k === 'consumer' && e.value.row.holdsTools) &&
      phases.phase(e.fn) === 'init' &&
      !underMainGuard(e.site) &&
      (e.k === 'client' || userAtLoad(e.value))
    ) {
      builtAtLoad.add(e.value.site.node);
      const hit = phases.initPath(e.fn);
      const related: RelatedInfo[] = (hit?.path ?? []).map((edge) => ({
        location: locOf(edge.site),
        message: `runs at load: called from ${rootText(edgeFrom(edge, hit?.root))}`,
      }));
      const where = hit ? rootText(hit.root) : rootText(e.fn);
      const via = hit && hit.path.length ? ` (reached from ${where})` : ` (in ${where})`;
      const fix = moveToPredictFix(e.fn, e.site, agents, requestMethods);
      sink.add(
        'OBO101',
        e.site,
        `${describeValue(e.value)} is built while the agent loads${via}. The requesting user is only known inside ` +
          `predict/predict_stream: in Model Serving this fails at load ("Unable to detect credentials for user ` +
          `authorization") or acts as one identity for everyone. Build it per request inside predict.`,
        {
          related,
          fixes: fix ? [fix] : undefined,
          details: { phase: 'init', root: hit?.root.qualname, agentFile: e.site.mod.path },
        },
      );
    }
  }
  const agentClasses = new Set(agents.map((a) => a.cls));
  for (const e of events) {
    if (e.k !== 'store' || !scopeMods.has(e.site.mod)) {
      continue;
    }
    if (e.how === 'self') {
      const cls = e.cls;
      const init = cls?.methods.get('__init__');
      const longLived = cls && (agentClasses.has(cls) || (init && phases.phase(init) === 'init'));
      if (!longLived) {
        continue;
      }
    }
    if (builtAtLoad.has(e.value.site.node)) {
      continue; // OBO101 reports it, with the path; building it per request in a local fixes both
    }
    const feeds = e.value.k === 'consumer' && e.value.row.holdsTools ? userFeeds(e.value) : [];
    if (feeds.length && feeds.every((f) => phaseOf(f) === 'init')) {
      // Every user-authorized tool it keeps is built at load: OBO101 already reports each one, and building them
      // per request is the one fix for both.
      continue;
    }
    const where =
      e.how === 'self'
        ? `on ${q(e.target)}, and the agent object serves every request`
        : e.how === 'class'
          ? `in the class attribute ${q(e.target)}`
          : `in the module-level ${q(e.target)}`;
    // Through a closure or a tool object that holds it: inferred from what the object captures, so a warning.
    const through = e.via ? `, inside ${q(snippet(e.via))} that holds it,` : '';
    sink.add(
      'OBO102',
      e.site,
      `${describeValue(e.value)} is kept${through} ${where}: a later request may reuse the previous user's ` +
        `identity. Keep it in a local variable of predict.`,
      {
        severity: e.via ? 'warning' : undefined,
        related: [
          ...(e.via ? [{ location: locOf(e.via), message: 'this holds the user-authorized value' }] : []),
          {
            location: locOf(e.value.site),
            message: feeds.length ? 'it is built here' : 'the user-authorized value is built here',
          },
          ...feeds.map((f) => ({
            location: locOf(f.site),
            message: 'a user-authorized tool it keeps is built here',
          })),
        ],
      },
    );
  }
  for (const mod of scopeMods) {
    for (const fn of mod.functions) {
      const user = userValues(fn.returns).filter((v) => !builtAtLoad.has(v.site.node));
      if (fn.cacheDecorator && user.length) {
        sink.add(
          'OBO102',
          { mod, node: fn.cacheDecorator },
          `${q(fn.qualname)} caches its result, ${describeValue(user[0])}: later requests would get the first ` +
            `user's client. Remove the cache or cache only what is not user-specific.`,
          {
            related: [{ location: locOf(user[0].site), message: 'the user-authorized value is built here' }],
          },
        );
      }
    }
  }
}

function edgeFrom(edge: { site: { mod: ModuleModel } }, root: FuncInfo | undefined): FuncInfo {
  return root ?? (edge.site.mod.body as FuncInfo);
}
