// OBO203: an api_scopes entry that is not a known scope, whatever agent the log site logs (docs/rules/OBO203.md).
import type { Fix } from '../model';
import { quoteOf, replaceNode } from '../fixes/edits';
import { defineRule } from './rule';
import { q } from './text';

export const obo203 = defineRule('OBO203', (ctx) => {
  const book = ctx.cat.scopes;
  for (const site of ctx.logSites) {
    for (const item of site.userScopes?.items ?? []) {
      // An entry that cannot be read is OBO100's.
      if (item.value === undefined || book.isKnown(item.value)) {
        continue;
      }
      const rejected = book.rejected(item.value);
      const suggestion = book.nearest(item.value);
      const quote = quoteOf(item.site.mod, item.site.node.parent ?? undefined);
      const fixes: Fix[] = suggestion
        ? [
            {
              title: `Replace with ${q(suggestion)}`,
              edits: [replaceNode(item.site, `${quote}${suggestion}${quote}`)],
              safe: true,
            },
          ]
        : [];
      const why = rejected
        ? `${q(item.value)} ${rejected.reason}`
        : `${q(item.value)} is not a Model Serving API scope`;
      ctx.sink.add(
        'OBO203',
        item.site,
        `${why}: deployment fails with "Invalid user API scope(s)".${suggestion ? ` Did you mean ${q(suggestion)}?` : ''}`,
        { fixes, details: { scope: item.value, suggestion } },
      );
    }
  }
});
