// The seed agents (vector-search notebook 000, Genie article 003) as fixtures: as published, and with typical mistakes.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { InputCell } from '../../server/src/analyser/model';
import { seedNotebook, splitNotebook } from '../seedForms';
import { analyse, assertAt, none, only, summary } from './helpers';

// Each seed is one notebook fixture; the agent module and the logging cell are split from it as a run would write them.
const VS_NOTEBOOK = seedNotebook('vectorSearch').text;
const { agent: VS_AGENT, driver: VS_DRIVER } = splitNotebook(seedNotebook('vectorSearch'));
const { agent: GENIE_AGENT, driver: GENIE_DRIVER } = splitNotebook(seedNotebook('genie'));

/** Only hints and information: what a correct agent may still get. */
function noProblems(all: { severity: string }[], text: string): void {
  assert.ok(
    all.every((f) => f.severity === 'hint' || f.severity === 'information'),
    `expected no errors or warnings:\n${text}`,
  );
}

describe('seed 000: vector-search notebook agent', () => {
  it('as published (TODO placeholders and all): only the legacy-import hint', async () => {
    const r = await analyse({ 'agent.py': VS_AGENT, 'driver.py': VS_DRIVER });
    noProblems(r.all, summary(r.all));
    assertAt(r, only(r, 'OBO402'), 'ModelServingUserCredentials\n');
  });

  it('understands the agent despite its syntax errors: ChatAgent class, vector search needs, the endpoint resource', async () => {
    const r = await analyse({ 'agent.py': VS_AGENT, 'driver.py': VS_DRIVER });
    assert.equal(r.reports.length, 1);
    const report = r.reports[0];
    assert.equal(report.agentKind, 'ChatAgent');
    assert.equal(report.className, 'LangGraphChatAgent');
    assert.equal(report.usesUserAuth, true);
    assert.deepEqual(
      report.needs.map((n) => `${n.scope}${n.required ? '' : '?'}`),
      [
        'vectorsearch.vector-search-indexes',
        'vectorsearch.vector-search-endpoints?',
        'serving.serving-endpoints?',
      ],
    );
    assert.deepEqual(
      report.resources.map((x) => `${x.resource}:${x.name}`),
      ['DatabricksServingEndpoint:databricks-meta-llama-3-3-70b-instruct'],
    );
    assert.equal(
      report.needs[0].because,
      '`VectorSearchRetrieverTool(index_name= <FILL INDEX NAME>, descriptio…`',
      'comments left out',
    );
    assert.equal(report.logSites.length, 1);
    assert.equal(report.logSites[0].location.file, '/proj/driver.py');
  });

  it('with the tools built in __init__ instead of predict: OBO101 on the client and the tool', async () => {
    const moved = VS_AGENT.replace(
      'class LangGraphChatAgent(ChatAgent):\n',
      'class LangGraphChatAgent(ChatAgent):\n    def __init__(self):\n        self.agent = create_tool_calling_agent(llm, system_prompt)\n\n',
    );
    const r = await analyse({ 'agent.py': moved, 'driver.py': VS_DRIVER });
    const hits = r.code('OBO101');
    assert.equal(hits.length, 2, summary(r.all));
    assertAt(r, hits[0], 'WorkspaceClient(credentials_strategy');
    assertAt(r, hits[1], 'VectorSearchRetrieverTool(\n');
    assert.match(hits[0].message, /reached from `LangGraphChatAgent.__init__`/);
    // create_tools ← create_tool_calling_agent ← __init__: two hops back to the root.
    assert.equal(hits[0].related?.length, 2);
  });

  it('with the vector search scopes dropped: OBO201 at the list and at the tool', async () => {
    const driver = VS_DRIVER.replace(
      '["serving.serving-endpoints", "vectorsearch.vector-search-endpoints", "vectorsearch.vector-search-indexes"]',
      '["serving.serving-endpoints"]',
    );
    const r = await analyse({ 'agent.py': VS_AGENT, 'driver.py': driver });
    assert.deepEqual(only(r, 'OBO201', 'driver.py').details?.missing, ['vectorsearch.vector-search-indexes']);
    assertAt(r, only(r, 'OBO201', 'agent.py'), 'VectorSearchRetrieverTool(\n');
  });

  it('as a Databricks notebook source with a %%writefile agent.py cell: same result, real positions', async () => {
    const r = await analyse({ 'notebook.py': VS_NOTEBOOK });
    noProblems(r.all, summary(r.all));
    const f = only(r, 'OBO402');
    assertAt(r, f, 'ModelServingUserCredentials\n');
    assert.equal(r.reports[0]?.path, '/proj/agent.py', 'the %%writefile target is the agent module');
  });
});

describe('seed 003: Genie agent article (obo_agent.py + logging cell)', () => {
  it('as published: serving.serving-endpoints is declared but only used with system auth (OBO202)', async () => {
    const r = await analyse({ 'obo_agent.py': GENIE_AGENT, 'obo_driver.py': GENIE_DRIVER });
    const f = only(r, 'OBO202');
    assertAt(r, f, '"serving.serving-endpoints"');
    none(r, 'OBO201');
    none(r, 'OBO101');
    // LLM_ENDPOINT_NAME imported from the agent module names the chat model's endpoint: declared.
    none(r, 'OBO301');
    assert.ok(
      r.all.every((x) => x.severity !== 'error'),
      summary(r.all),
    );
  });

  it('reports the Genie agent built at load time', async () => {
    const atLoad = GENIE_AGENT.replace(
      'AGENT = LangGraphChatAgent()',
      'GENIE_AGENTS = create_genie_agents()\nAGENT = LangGraphChatAgent()',
    );
    const r = await analyse({ 'obo_agent.py': atLoad, 'obo_driver.py': GENIE_DRIVER });
    const hits = r.code('OBO101');
    assert.equal(hits.length, 2, summary(r.all));
    assertAt(r, hits[0], 'WorkspaceClient(\n');
    assertAt(r, hits[1], 'GenieAgent(\n');
  });

  it('without dashboards.genie: OBO201 error in both files', async () => {
    const driver = GENIE_DRIVER.replace('        "dashboards.genie",\n', '');
    const r = await analyse({ 'obo_agent.py': GENIE_AGENT, 'obo_driver.py': driver });
    assert.equal(only(r, 'OBO201', 'obo_driver.py').severity, 'error');
    assert.equal(only(r, 'OBO201', 'obo_agent.py').severity, 'error');
  });

  it('as Jupyter cells: findings carry the cell index and cell-relative lines', async () => {
    const driverCell = GENIE_DRIVER;
    const cells: InputCell[] = [
      { kind: 'markup', source: '# Genie OBO agent' },
      {
        kind: 'code',
        source: '%pip install -U -qqqq mlflow langgraph==0.3.34 databricks-langchain\n%restart_python',
      },
      { kind: 'code', source: `%%writefile obo_agent.py\n${GENIE_AGENT}` },
      { kind: 'code', source: driverCell },
    ];
    const r = await analyse({}, { cells: { 'obo.ipynb': cells } });
    const f = only(r, 'OBO202', 'obo.ipynb');
    assert.equal(f.location.cell, 3);
    const lines = driverCell.split('\n');
    const line = lines.findIndex((l) => l.includes('"serving.serving-endpoints"'));
    assert.deepEqual(f.location.range.start, { line, character: lines[line].indexOf('"serving') });
  });
});
