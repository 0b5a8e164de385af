// LSP tests: in a workspace of two agent projects, an edit in one leaves the other's pulls unchanged, and an edit that moves a finding or a fix's edit does not.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { fixtureText, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

const idOf = (r: DocumentDiagnosticReport) => (r as { resultId?: string }).resultId;

describe('pull diagnostics across projects', () => {
  let dir: string;
  let client: LspTestClient;
  const uri = (name: string) => uriOf(path.join(dir, name));

  before(async () => {
    const agent = fixtureText('two-file', 'agent.py');
    const driver = fixtureText('two-file', 'driver.py');
    dir = tempWorkspace(undefined, {
      'a/agent.py': agent,
      'a/driver.py': driver,
      'b/agent.py': agent,
      'b/driver.py': driver,
    });
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it("answers unchanged for a project's files when another project is edited, full for the edited one", async () => {
    await client.open(uri('a/agent.py'), fixtureText('two-file', 'agent.py'));
    await client.open(uri('b/agent.py'), fixtureText('two-file', 'agent.py'));
    const a1 = await client.report(uri('a/agent.py'));
    const b1 = await client.report(uri('b/agent.py'));
    assert.equal(a1.kind, 'full');
    assert.equal(b1.kind, 'full');
    // Code in b/agent.py changes (a new function): a/agent.py's project is not reached.
    const end = { line: 30, character: 0 };
    await client.change(uri('b/agent.py'), 2, [
      { range: { start: end, end }, text: '\n\ndef helper():\n    return 1\n' },
    ]);
    const a2 = await client.report(uri('a/agent.py'), idOf(a1));
    assert.equal(a2.kind, 'unchanged');
    assert.equal(idOf(a2), idOf(a1));
    // The edited document's findings did not move either: its result id ignores the version its fix data records.
    const b2 = await client.report(uri('b/agent.py'), idOf(b1));
    assert.equal(b2.kind, 'unchanged');
    // A finding that moves gives a full report.
    const top = { line: 0, character: 0 };
    await client.change(uri('b/agent.py'), 3, [{ range: { start: top, end: top }, text: '\n' }]);
    const b3 = await client.report(uri('b/agent.py'), idOf(b1));
    assert.equal(b3.kind, 'full');
    assert.notEqual(idOf(b3), idOf(b1));
  });

  it("gives a full report when the edit of a fix in another document moves, though the findings' text is the same", async () => {
    const driverText = fixtureText('two-file', 'driver.py');
    await client.open(uri('a/driver.py'), driverText);
    const before = await client.report(uri('a/agent.py'));
    assert.equal(before.kind, 'full');
    const versionIn = (r: DocumentDiagnosticReport) =>
      r.kind === 'full'
        ? (r.items[0].data as { fixes: { versions: Record<string, number | null> }[] }).fixes[0].versions[
            uri('a/driver.py')
          ]
        : undefined;
    assert.equal(versionIn(before), 1);
    // A comment at the top of driver.py: the same findings, but the OBO201 fix edits a line further down (version 2).
    await client.change(uri('a/driver.py'), 2, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# c\n' },
    ]);
    const after = await client.report(uri('a/agent.py'), idOf(before));
    assert.equal(after.kind, 'full');
    assert.equal(versionIn(after), 2);
    // And b's project still answers unchanged.
    const b = await client.report(uri('b/agent.py'));
    assert.equal((await client.report(uri('b/agent.py'), idOf(b))).kind, 'unchanged');
  });
});
