// The rule registry against the rule table: every code once, in order, one module per code that links its doc page and alone raises it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULE_REGISTRY } from '../../../server/src/analyser/rules/registry';
import { RULES } from '../../../shared/rules';

const ROOT = path.resolve(__dirname, '../../../..');
const RULES_DIR = path.join(ROOT, 'server/src/analyser/rules');

/** Every .ts file under `dir`, by path. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('rule registry', () => {
  it('runs every code of the rule table exactly once, in the table order', () => {
    assert.deepEqual(
      RULE_REGISTRY.map((r) => r.code),
      RULES.map((r) => r.code),
    );
  });

  it("takes each rule's title, severity and doc page from the table", () => {
    for (const rule of RULE_REGISTRY) {
      const row = RULES.find((r) => r.code === rule.code);
      assert.deepEqual(
        { title: rule.title, severity: rule.severity, doc: rule.doc },
        { title: row?.title, severity: row?.defaultSeverity, doc: row?.doc },
      );
    }
  });

  for (const rule of RULE_REGISTRY) {
    it(`${rule.code} has a doc page and one module whose header links it`, () => {
      assert.ok(fs.existsSync(path.join(ROOT, rule.doc)), rule.doc);
      const files = fs.readdirSync(RULES_DIR).filter((f) => f.startsWith(`${rule.code.toLowerCase()}_`));
      assert.equal(files.length, 1, `one rules/${rule.code.toLowerCase()}_*.ts`);
      const header = fs.readFileSync(path.join(RULES_DIR, files[0]), 'utf8').split('\n')[0];
      assert.match(header, /^\/\/ /);
      assert.ok(header.includes(rule.doc), `${files[0]} header links ${rule.doc}`);
    });
  }

  it('raises each code from its own module only', () => {
    for (const file of sources(path.join(ROOT, 'server/src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'(OBO\d{3})'/g)) {
        assert.ok(
          path.basename(file).startsWith(`${m[1].toLowerCase()}_`) && path.dirname(file) === RULES_DIR,
          `${path.relative(ROOT, file)} names ${m[1]}`,
        );
      }
    }
  });
});
