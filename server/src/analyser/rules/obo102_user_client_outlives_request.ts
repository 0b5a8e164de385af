// OBO102: a user-authorized client kept beyond the request (on the agent, a global, a class attribute, a cache) (docs/rules/OBO102.md).
import type { ModuleModel } from '../engine/program';
import { locOf } from '../engine/locations';
import { userValues } from '../engine/values';
import { type PyNode, textOf } from '../python/tree';
import type { RuleContext } from './context';
import { describeValue, loadTimeOf, userFeeds } from './loadTime';
import { defineRule } from './rule';
import { q } from './text';

export const obo102 = defineRule('OBO102', (ctx) => {
  keptValues(ctx);
  cachedResults(ctx);
});

/** A user-authorized value stored on a long-lived object, a class or a module. */
function keptValues(ctx: RuleContext): void {
  const { phases, scopeMods } = ctx;
  const { builtAtLoad, phaseOf } = loadTimeOf(ctx);
  const agentClasses = new Set(ctx.classes.map((a) => a.cls));
  for (const e of ctx.events) {
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
    ctx.sink.add(
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
}

/** A function whose cache decorator keeps the user-authorized value it returns. */
function cachedResults(ctx: RuleContext): void {
  const { builtAtLoad } = loadTimeOf(ctx);
  for (const mod of ctx.scopeMods) {
    for (const fn of mod.functions) {
      // (Most functions have no cache decorator: look at their returns only when one does.)
      if (!fn.cacheDecorator) {
        continue;
      }
      // The first in the code: the order of `returns` is the order of work, which a kept interpreter's update and a
      // fresh run do not share.
      const user = userValues(fn.returns)
        .filter((v) => !builtAtLoad.has(v.site.node))
        .sort(
          (a, b) => a.site.mod.path.localeCompare(b.site.mod.path) || a.site.node.start - b.site.node.start,
        );
      if (user.length) {
        ctx.sink.add(
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

/** The first line of a construct, shortened, for messages. */
function snippet(s: { mod: ModuleModel; node: PyNode }): string {
  const line = textOf(s.mod.src, s.node).split('\n')[0].trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
