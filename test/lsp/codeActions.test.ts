// LSP tests: quick fixes from diagnostic data — order, preferred, ignore comments, docs, only-filter, fix-all, stale refusal.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import {
  applyEdits,
  editsByUri,
  fixtureText,
  isCodeAction,
  parsesCleanly,
  removeWorkspace,
  tempWorkspace,
} from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('code actions', () => {
  let dir: string;
  let client: LspTestClient;
  let version = 1;
  let text = '';
  const uri = () => uriOf(path.join(dir, 'agent.py'));

  /** Re-opens the fixture so each test starts from the same text. */
  async function reset(settings: unknown = {}): Promise<Diagnostic[]> {
    const refreshes = client.refreshes;
    client.settings = settings;
    await client.changeSettings(settings);
    await client.nextRefresh(refreshes);
    text = fixtureText('single', 'agent.py');
    version++;
    await client.change(uri(), version, [{ text }]);
    return client.diagnostics(uri());
  }

  async function actionsFor(d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    const actions = await client.codeActions(uri(), d.range, [d], only);
    assert.ok(actions.every(isCodeAction), 'code action literals, not bare commands');
    return actions as CodeAction[];
  }

  /** Applies an action's edit to the document (as the editor would) and pulls again. */
  async function apply(action: CodeAction): Promise<Diagnostic[]> {
    const edits = editsByUri(action.edit).get(uri());
    assert.ok(edits && edits.length > 0, `${action.title} edits this document`);
    text = applyEdits(text, edits);
    version++;
    await client.change(uri(), version, [{ text }]);
    return client.diagnostics(uri());
  }

  before(async () => {
    dir = tempWorkspace('single');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    text = fixtureText('single', 'agent.py');
    await client.open(uri(), text, version);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });
  beforeEach(async () => {
    await reset();
  });

  it('orders the fix (preferred) first, then "Ignore … for this line", then "Show documentation"', async () => {
    const [missing] = byCode(await client.diagnostics(uri()), 'OBO201').filter((d) =>
      /api_scopes lacks/.test(String(d.message)),
    );
    const actions = await actionsFor(missing);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Add `genie` to api_scopes',
        'Ignore OBO201 for this line',
        'Show documentation for OBO201 (Scope required by the code is missing from api_scopes)',
      ],
    );
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(actions[0].diagnostics, [missing]);
    assert.equal(
      actions.every((a) => a.kind === 'quickfix'),
      true,
    );
    assert.deepEqual(actions[2].command, {
      title: 'Show documentation for OBO201',
      command: 'oboAgents.showRuleDocumentation',
      arguments: ['OBO201'],
    });
    // documentChanges carry the version the fix was computed for, so the editor refuses a stale one too.
    const dc = actions[0].edit?.documentChanges?.[0] as { textDocument: { version: number } };
    assert.equal(dc.textDocument.version, version);
  });

  it('the OBO201 fix leaves no missing scope and valid Python', async () => {
    const [missing] = byCode(await client.diagnostics(uri()), 'OBO201');
    const after = await apply((await actionsFor(missing))[0]);
    assert.deepEqual(byCode(after, 'OBO201'), []);
    assert.match(text, /api_scopes=\["dashboards\.geni", "sql", "genie"\]/);
    assert.ok(await parsesCleanly(text));
  });

  it('the OBO203 fix replaces the misspelt scope', async () => {
    const [unknown] = byCode(await client.diagnostics(uri()), 'OBO203');
    const [fix] = await actionsFor(unknown);
    assert.equal(fix.title, 'Replace with `dashboards.genie`');
    const after = await apply(fix);
    assert.deepEqual(byCode(after, 'OBO203'), []);
    assert.ok(await parsesCleanly(text));
  });

  it('marks unsafe fixes in the title and never as preferred (OBO202 remove, OBO101 move)', async () => {
    const ds = await client.diagnostics(uri());
    const [remove] = await actionsFor(byCode(ds, 'OBO202')[0]);
    assert.equal(remove.title, 'Remove `sql` (unsafe)');
    assert.equal(remove.isPreferred, false);
    const after = await apply(remove);
    assert.deepEqual(byCode(after, 'OBO202'), []);
    assert.ok(await parsesCleanly(text));
    const [move] = await actionsFor(byCode(after, 'OBO101')[0]);
    assert.equal(move.title, 'Create client per request in predict (unsafe)');
    const moved = await apply(move);
    assert.deepEqual(byCode(moved, 'OBO101'), []);
    assert.ok(await parsesCleanly(text));
  });

  it('appends an ignore comment, then merges the next code into it', async () => {
    const ds = await client.diagnostics(uri());
    const ignore203 = (await actionsFor(byCode(ds, 'OBO203')[0])).find(
      (a) => a.title === 'Ignore OBO203 for this line',
    );
    assert.ok(ignore203);
    let after = await apply(ignore203);
    assert.match(text, /"sql"\]\)\),  # obo: ignore\[OBO203\]\n/);
    assert.deepEqual(byCode(after, 'OBO203'), []);
    const ignore202 = (await actionsFor(byCode(after, 'OBO202')[0])).find(
      (a) => a.title === 'Ignore OBO202 for this line',
    );
    assert.ok(ignore202);
    after = await apply(ignore202);
    assert.match(text, /# obo: ignore\[OBO203, OBO202\]\n/);
    assert.deepEqual(byCode(after, 'OBO202'), []);
    assert.ok(await parsesCleanly(text));
  });

  it('honours context.only: source.fixAll gives one action applying every safe fix', async () => {
    const ds = await client.diagnostics(uri());
    const actions = await actionsFor(ds[0], ['source.fixAll']);
    assert.deepEqual(
      actions.map((a) => [a.kind, a.title]),
      [['source.fixAll.obo', 'Fix all auto-fixable OBO problems']],
    );
    const after = await apply(actions[0]);
    assert.deepEqual(byCode(after, 'OBO201'), []);
    assert.deepEqual(byCode(after, 'OBO203'), []);
    assert.equal(byCode(after, 'OBO202').length, 1, 'unsafe fixes are left to the user');
    assert.ok(await parsesCleanly(text));
    assert.deepEqual(await actionsFor(ds[0], ['refactor']), []);
    assert.equal(
      (await actionsFor(ds[0], ['quickfix'])).every((a) => a.kind === 'quickfix'),
      true,
    );
  });

  it('refuses actions for diagnostics computed on an older version', async () => {
    const ds = await client.diagnostics(uri());
    version++;
    await client.change(uri(), version, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#\n' },
    ]);
    assert.deepEqual(await client.codeActions(uri(), ds[0].range, ds), []);
  });

  it('answers "unchanged" after an edit that leaves every finding in place, and still fixes from the kept data', async () => {
    const first = await client.report(uri());
    assert.equal(first.kind, 'full');
    const kept = first.kind === 'full' ? first.items : [];
    const [missing] = byCode(kept, 'OBO201');
    assert.ok(missing, 'the fixture has an OBO201');
    // A comment typed at the end of the file: no finding moves, only the version.
    const end = text.split('\n').length - 1;
    const at = { line: end, character: text.split('\n')[end].length };
    version++;
    await client.change(uri(), version, [{ range: { start: at, end: at }, text: '\n# typed' }]);
    text += '\n# typed';
    const second = await client.report(uri(), first.resultId);
    assert.equal(second.kind, 'unchanged', 'same findings, same result id');
    // The editor still holds (and sends) the data computed on the previous version.
    const [fix] = await actionsFor(missing);
    assert.equal(fix.isPreferred, true, fix.title);
    const dc = fix.edit?.documentChanges?.[0] as { textDocument: { version: number } };
    assert.equal(dc.textDocument.version, version, 'the renewed fix names the current version');
    const after = await apply(fix);
    assert.ok(byCode(after, 'OBO201').length < byCode(kept, 'OBO201').length, 'the fix applied');
  });

  it('switches off the ignore and documentation actions by setting', async () => {
    const ds = await reset({
      codeAction: { disableRuleComment: { enable: false }, showDocumentation: { enable: false } },
    });
    const actions = await actionsFor(byCode(ds, 'OBO203')[0]);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Replace with `dashboards.genie`'],
    );
  });

  it('ignores diagnostics from other sources and garbage data', async () => {
    const ds = await client.diagnostics(uri());
    const foreign = { ...ds[0], source: 'ruff' };
    const garbage = { ...ds[0], data: { uri: 42 } };
    assert.deepEqual(await client.codeActions(uri(), ds[0].range, [foreign, garbage as Diagnostic]), []);
  });
});

describe('cross-file fix', () => {
  it('adds the scope to driver.py from agent.py, and agent.py is clean after', async () => {
    const dir = tempWorkspace('two-file');
    const client = await LspTestClient.start({ folder: dir });
    try {
      await client.ready();
      const agent = uriOf(path.join(dir, 'agent.py'));
      const driver = uriOf(path.join(dir, 'driver.py'));
      let driverText = fixtureText('two-file', 'driver.py');
      await client.open(agent, fixtureText('two-file', 'agent.py'));
      await client.open(driver, driverText);
      const [missing] = await client.diagnostics(agent);
      const actions = (await client.codeActions(agent, missing.range, [missing])) as CodeAction[];
      assert.equal(actions[0].title, 'Add `serving.serving-endpoints` to api_scopes in driver.py');
      const edits = editsByUri(actions[0].edit);
      assert.deepEqual([...edits.keys()], [driver]);
      driverText = applyEdits(driverText, edits.get(driver) ?? []);
      assert.match(driverText, /api_scopes=\["dashboards\.genie", "serving\.serving-endpoints"\]/);
      assert.ok(await parsesCleanly(driverText));
      const refreshes = client.refreshes;
      await client.change(driver, 2, [{ text: driverText }]);
      await client.diagnostics(driver);
      await client.nextRefresh(refreshes);
      assert.deepEqual(await client.diagnostics(agent), []);
    } finally {
      await client.stop();
      removeWorkspace(dir);
    }
  });
});
