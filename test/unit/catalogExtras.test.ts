// mergeExtras: several catalog extensions (pyproject sections, each folder's settings) become one for the workspace.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mergeExtras } from '../../server/src/catalog/extend';

describe('mergeExtras', () => {
  it('concatenates list tables in order and keeps the first of anything else', () => {
    const merged = mergeExtras([
      { consumers: [{ name: 'a' }], scopes: ['sql'], note: 'first' },
      {},
      { consumers: [{ name: 'b' }], methods: [{ name: 'm' }], note: 'second' },
      { scopes: 'not a list' },
    ]);
    assert.deepEqual(merged, {
      consumers: [{ name: 'a' }, { name: 'b' }],
      scopes: ['sql'],
      note: 'first',
      methods: [{ name: 'm' }],
    });
  });

  it('gives an empty extension for none', () => {
    assert.deepEqual(mergeExtras([]), {});
  });
});
