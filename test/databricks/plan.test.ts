// Deploy plan and naming: agents.deploy() naming rules, auth policy inferred from the report, blocking findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endpointName,
  modelPartFromFile,
  parseModelName,
  servedEntityName,
} from '../../client/src/databricks/naming';
import { computePlan, defaultDeploySettings, PlanError, renderPlan } from '../../client/src/databricks/plan';
import { plan, report } from './fixtures';

describe('naming', () => {
  it('follows the agents.deploy() endpoint rule', () => {
    assert.equal(endpointName('cs4603.pa4.pa4_document_analyst'), 'agents_cs4603-pa4-pa4_document_analyst');
    const long = `cat.sch.${'m'.repeat(80)}`;
    assert.equal(endpointName(long).length, 63);
    assert.equal(endpointName('c.s.abc_'), 'agents_c-s-abc');
    // full[:56] cut right after a dot leaves a dash that rstrip removes.
    assert.equal(endpointName(`${'a'.repeat(50)}.bbbbb.model`), `agents_${'a'.repeat(50)}-bbbbb`);
  });

  it('follows the served entity rule', () => {
    assert.equal(
      servedEntityName('bootcamp_students.fleetguard.fleetguard_agent', 7),
      'bootcamp_students-fleetguard-fleetguard_agent_7',
    );
    const e = servedEntityName(`c.s.${'x'.repeat(100)}`, 12);
    assert.equal(e.length, 63);
    assert.ok(e.endsWith('_12'));
  });

  it('checks Unity Catalog model names', () => {
    assert.deepEqual(parseModelName('main.agents.bot'), {
      catalog: 'main',
      schema: 'agents',
      name: 'bot',
      full: 'main.agents.bot',
    });
    assert.match(parseModelName('main.bot') as string, /three-level/);
    assert.match(parseModelName('main.ag-ents.bot') as string, /"ag-ents"/);
    assert.equal(modelPartFromFile('/x/My-Agent.py'), 'my_agent');
  });
});

describe('plan', () => {
  it('infers user scopes and system resources from the report', () => {
    const p = plan('main.agents.bot', {
      environmentVariables: { API_KEY: '{{secrets/agents/key}}' },
      scaleToZero: false,
    });
    assert.equal(p.endpointName, 'agents_main-agents-bot');
    assert.equal(p.servedEntityPattern, 'main-agents-bot_<version>');
    assert.equal(p.task, 'agent/v1/responses');
    assert.deepEqual(
      p.userScopes.map((s) => [s.scope, s.required, s.confirmed]),
      [
        ['serving.serving-endpoints', true, true],
        ['sql.statement-execution', false, false],
      ],
    );
    assert.deepEqual(
      p.resources.map((r) => r.name),
      ['databricks-claude-sonnet-4-5'],
    );
    assert.deepEqual(p.secretRefs, ['API_KEY = {{secrets/agents/key}}']);
    assert.equal(p.environmentVars.ENABLE_MLFLOW_TRACING, 'true');
    assert.equal(p.scaleToZero, false);
    assert.deepEqual(p.inferenceTable, { catalog: 'main', schema: 'agents', prefix: 'bot' });
  });

  it('uses the chat task for a ChatAgent', () => {
    assert.equal(plan('main.agents.bot', {}, { agentKind: 'ChatAgent' }).task, 'agent/v2/chat');
  });

  it('lists error findings as blocking, not warnings', () => {
    const finding = (severity: 'error' | 'warning', line: number) => ({
      file: '/a.py',
      finding: {
        code: 'OBO101' as const,
        severity,
        message: `m${line}`,
        location: { file: '/a.py', range: { start: { line, character: 0 }, end: { line, character: 1 } } },
      },
    });
    const p = computePlan(
      report(),
      [finding('error', 4), finding('warning', 9)],
      'main.agents.bot',
      defaultDeploySettings(),
    );
    assert.deepEqual(p.blocking, [{ code: 'OBO101', message: 'm4', file: '/a.py', line: 5 }]);
  });

  it('refuses a bad model name', () => {
    assert.throws(() => plan('bot'), PlanError);
  });

  it('warns when a log site declares other scopes or a resource name is unknown', () => {
    const p = plan(
      'main.agents.bot',
      {},
      {
        resources: [
          {
            resource: 'DatabricksVectorSearchIndex',
            because: 'a variable index',
            location: report().location,
          },
        ],
        logSites: [
          {
            location: report().location,
            missing: ['serving.serving-endpoints'],
            unused: ['files.files'],
            unknown: [],
            toAdd: [],
          },
        ],
      },
    );
    assert.equal(p.warnings.length, 2);
    assert.match(p.warnings.join('\n'), /missing serving\.serving-endpoints, unused files\.files/);
    assert.match(p.warnings.join('\n'), /DatabricksVectorSearchIndex name could not be read/);
  });

  it('renders everything the user must see before deploying', () => {
    const md = renderPlan(
      plan('main.agents.bot', { environmentVariables: { K: '{{secrets/s/k}}' }, tags: { team: 'ml' } }),
    );
    for (const s of [
      '`main.agents.bot`',
      '`agents_main-agents-bot`',
      '`serving.serving-endpoints`',
      '(may use, unconfirmed)',
      'DatabricksServingEndpoint `databricks-claude-sonnet-4-5`',
      'scale to zero on',
      'MLFLOW_EXPERIMENT_ID',
      '`K = {{secrets/s/k}}`',
      '`team` = `ml`',
    ]) {
      assert.ok(md.includes(s), `plan lacks ${s}:\n${md}`);
    }
  });
});
