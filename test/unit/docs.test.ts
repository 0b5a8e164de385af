// Rule pages stay in step with the registry and the catalog: one page per code, its severity, suppression and scopes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BUILTIN_CATALOG } from '../../server/src/catalog/data';
import { RULES } from '../../shared/rules';

const ROOT = path.resolve(__dirname, '../../..');
const page = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

describe('rule pages', () => {
  for (const rule of RULES) {
    it(`${rule.code} has a page with its severity, a bad example, the fix and how to suppress`, () => {
      const text = page(rule.doc);
      assert.match(text, new RegExp(`^# ${rule.code}: `));
      assert.match(text, new RegExp(`\\*\\*Default severity:\\*\\* ${rule.defaultSeverity}\\b`));
      assert.match(text, /^## What it finds$/m);
      assert.match(text, /^## Why it matters$/m);
      assert.match(text, /^## (Fix|What to do)$/m);
      assert.match(text, /```python\n/);
      assert.ok(text.includes(`# obo: ignore[${rule.code}]`), 'suppression comment');
    });
  }

  it('the index lists every rule with its default severity', () => {
    const index = page('docs/rules/README.md');
    for (const rule of RULES) {
      assert.match(
        index,
        new RegExp(
          `\\|\\s*\\[${rule.code}\\]\\(${rule.code}\\.md\\)\\s*\\|[^\\n]*\\|\\s*${rule.defaultSeverity}\\s*\\|`,
        ),
      );
    }
  });

  it('the scope rules show every catalog scope and every rejected name', () => {
    for (const code of ['OBO201', 'OBO202', 'OBO203']) {
      const text = page(`docs/rules/${code}.md`);
      for (const s of [...BUILTIN_CATALOG.scopes, ...BUILTIN_CATALOG.rejectedScopes]) {
        assert.ok(text.includes(`\`${s.name}\``), `${code} mentions ${s.name}`);
      }
    }
  });
});
