// LSP tests: hover, completion of scopes and resources, code lens above UserAuthPolicy, the obo/agentReports request.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { openTwoFileProject, removeWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

/** The position of `needle` (plus `delta` characters) in a text. */
function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('hover, completion, code lens, agent reports', () => {
  let dir: string;
  let client: LspTestClient;
  let agentText: string;
  let driverText: string;
  const agent = () => uriOf(path.join(dir, 'agent.py'));
  const driver = () => uriOf(path.join(dir, 'driver.py'));

  before(async () => {
    ({ dir, client, agentText, driverText } = await openTwoFileProject());
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('hovers an OBO call with the scopes it needs and whether they are declared', async () => {
    const hover = await client.hover(agent(), positionOf(agentText, 'client.genie.start', 8));
    const value = (hover?.contents as MarkupContent).value;
    assert.equal((hover?.contents as MarkupContent).kind, 'markdown');
    assert.match(value, /on behalf of the user/);
    assert.match(value, /`dashboards\.genie` \| required \| declared/);
    assert.ok(hover?.range, 'the hover covers the call');
  });

  it('hovers a scope string with what it grants', async () => {
    const hover = await client.hover(driver(), positionOf(driverText, '"dashboards.genie"', 3));
    assert.match((hover?.contents as MarkupContent).value, /\*\*`dashboards\.genie`\*\*/);
  });

  it('offers nothing on plain code', async () => {
    assert.equal(await client.hover(agent(), { line: 0, character: 2 }), null);
    assert.deepEqual(await client.completion(agent(), { line: 0, character: 2 }), []);
  });

  it('completes scopes inside api_scopes=[...]: the missing one first, replacing the whole string', async () => {
    const at = positionOf(driverText, '"dashboards.genie"', 5);
    const items = await client.completion(driver(), at);
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'serving.serving-endpoints');
    assert.equal(sorted[0].detail, 'needed by the agent, not declared yet');
    assert.ok(items.some((i) => i.label === 'sql'));
    const edit = sorted[0].textEdit as {
      range: { start: { character: number }; end: { character: number } };
    };
    const line = driverText.split('\n')[at.line];
    assert.equal(
      line.slice(edit.range.start.character - 1, edit.range.end.character + 1),
      '"dashboards.genie"',
    );
    assert.match(String((sorted[0].documentation as MarkupContent).value), /Model Serving/);
  });

  it('completes a quoted scope after a comma, leaving declared ones out', async () => {
    const at = positionOf(driverText, '"dashboards.genie"]', '"dashboards.genie"'.length);
    const version = 2;
    const text = driverText.replace('"dashboards.genie"]', '"dashboards.genie", ]');
    await client.change(driver(), version, [{ text }]);
    const items = await client.completion(driver(), { line: at.line, character: at.character + 2 });
    assert.ok(!items.some((i) => i.label === 'dashboards.genie'), 'declared scopes are not offered again');
    const first = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0];
    assert.equal(first.insertText, '"serving.serving-endpoints"');
    await client.change(driver(), version + 1, [{ text: driverText }]);
  });

  it('leaves out scopes declared after the cursor, or before an open quote', async () => {
    const text = driverText.replace('["dashboards.genie"]', '["", "dashboards.genie"]');
    await client.change(driver(), 5, [{ text }]);
    const at = positionOf(text, '["", "dashboards.genie"]', 2);
    const items = await client.completion(driver(), at);
    assert.ok(items.length > 0);
    assert.ok(!items.some((i) => i.label === 'dashboards.genie'), 'declared after the cursor');
    const typing = driverText.replace('["dashboards.genie"]', '["dashboards.genie", "]');
    await client.change(driver(), 6, [{ text: typing }]);
    const open = positionOf(typing, '"dashboards.genie", "', '"dashboards.genie", "'.length);
    const more = await client.completion(driver(), open);
    assert.ok(more.length > 0);
    assert.ok(!more.some((i) => i.label === 'dashboards.genie'), 'declared before an open quote');
    await client.change(driver(), 7, [{ text: driverText }]);
  });

  it('completes resource classes inside SystemAuthPolicy(resources=[...]) with their import', async () => {
    const text = `${driverText}\nsystem = SystemAuthPolicy(resources=[])\n`;
    await client.change(driver(), 10, [{ text }]);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('system = '));
    const items = await client.completion(driver(), { line, character: lines[line].indexOf('[') + 1 });
    const endpoint = items.find((i) => i.label === 'DatabricksServingEndpoint');
    assert.ok(endpoint, items.map((i) => i.label).join(', '));
    assert.equal(endpoint.insertText, 'DatabricksServingEndpoint(endpoint_name="$1")$0');
    assert.deepEqual(
      endpoint.additionalTextEdits?.map((e) => e.newText),
      ['from mlflow.models.resources import DatabricksServingEndpoint\n'],
    );
    await client.change(driver(), 11, [{ text: driverText }]);
  });

  it('puts a code lens on UserAuthPolicy(...) saying what the agent needs and what is missing', async () => {
    const lenses = await client.codeLenses(driver());
    assert.equal(lenses.length, 1);
    assert.equal(
      lenses[0].command?.title,
      'agent.py needs: dashboards.genie, serving.serving-endpoints — 1 missing',
    );
    assert.equal(lenses[0].command?.command, 'oboAgents.showRequiredScopes');
    assert.deepEqual(lenses[0].command?.arguments, [agent()]);
    const line = driverText.split('\n')[lenses[0].range.start.line];
    assert.equal(
      line.slice(lenses[0].range.start.character, lenses[0].range.end.character),
      'UserAuthPolicy',
    );
    // The agent file gets the agent-class lenses instead: deploy and the dry-run plan, on the class line.
    const agentLenses = await client.codeLenses(agent());
    assert.deepEqual(
      agentLenses.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]),
      [
        ['Deploy Agent', 'oboAgents.deployAgent', [agent()]],
        ['Show Deployment Plan', 'oboAgents.showDeploymentPlan', [agent()]],
      ],
    );
    assert.match(agentText.split('\n')[agentLenses[0].range.start.line], /^class \w+\(/);
  });

  it('says "in sync" once the scopes match', async () => {
    const text = driverText.replace(
      '"dashboards.genie"]',
      '"dashboards.genie", "serving.serving-endpoints"]',
    );
    await client.change(driver(), 20, [{ text }]);
    const lenses = await client.codeLenses(driver());
    assert.equal(
      lenses[0].command?.title,
      'agent.py needs: dashboards.genie, serving.serving-endpoints — in sync',
    );
    await client.change(driver(), 21, [{ text: driverText }]);
  });

  it('answers obo/agentReports for the workspace and for one linked file', async () => {
    type Result = {
      reports: { path: string; logSites: unknown[]; needs: { scope: string }[] }[];
      findings: unknown[];
    };
    const all = (await client.connection.sendRequest('obo/agentReports', {})) as Result;
    assert.deepEqual(
      all.reports.map((r) => path.basename(r.path)),
      ['agent.py'],
    );
    const forDriver = (await client.connection.sendRequest('obo/agentReports', { uri: driver() })) as Result;
    assert.equal(forDriver.reports.length, 1);
    assert.equal(forDriver.reports[0].logSites.length, 1);
    assert.ok(forDriver.findings.length >= 2, 'findings of agent.py and driver.py');
    const unrelated = (await client.connection.sendRequest('obo/agentReports', {
      uri: uriOf(path.join(dir, 'x.py')),
    })) as Result;
    assert.deepEqual(unrelated.reports, []);
  });
});
