// OBO402: a name imported from a legacy path that has a current one (docs/rules/OBO402.md).
import { importTargets } from './importTargets';
import { defineRule } from './rule';
import { q } from './text';

export const obo402 = defineRule('OBO402', (ctx) => {
  for (const t of importTargets(ctx)) {
    // A legacy path to an API that does not exist is OBO403's.
    if (t.legacy && !t.missing) {
      ctx.sink.add(
        'OBO402',
        t.site,
        `${q(t.qualified)} is a legacy path: ${t.legacy.why}. Prefer ${q(t.target)}.`,
        { fixes: t.fixes, details: { replacement: t.target } },
      );
    }
  }
});
