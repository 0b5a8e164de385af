// OBO403: an imported API that does not exist, with the one to import instead (docs/rules/OBO403.md).
import { importTargets } from './importTargets';
import { defineRule } from './rule';
import { q } from './text';

export const obo403 = defineRule('OBO403', (ctx) => {
  for (const t of importTargets(ctx)) {
    if (t.missing) {
      ctx.sink.add(
        'OBO403',
        t.site,
        `${t.missing.why}. Use ${q(`from ${t.targetModule} import ${t.targetLeaf}`)}.`,
        { fixes: t.fixes, details: { replacement: t.target } },
      );
    }
  }
});
