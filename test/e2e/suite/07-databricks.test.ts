// Databricks commands against the local emulator (test/emulator, started here in the extension host on 127.0.0.1):
// connect with a profile, show the deployment plan, deploy, query the endpoint as the calling user, cancel a deploy.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { ALICE_TOKEN, BOB_TOKEN, Emulator, DEFAULT_SEED } from '../../emulator/emulator';
import { itFeature } from './features';
import { activateExtension, hasUiBridge, MODE, nextEvent, uiAction, wsUri } from './helpers';

const REPO = path.resolve(__dirname, '../../../..');
const LOG_REGISTER = path.join(REPO, 'test/fixtures/databricks/python/log_register_stdlib.py');
const MODEL = 'main.agents.support_agent';
const ENDPOINT = 'agents_main-agents-support_agent';

/** The parts of the Databricks commands' results the tests read (client/src/databricks). */
interface Plan {
  endpointName: string;
  model: { full: string };
  userScopes: { scope: string }[];
  resources: { resource: string; name?: string }[];
  blocking: { code: string }[];
}
interface DeployResult {
  endpointName: string;
  version: string;
  created: boolean;
}
interface Playground {
  controller: {
    handle(m: { type: 'send'; text: string }): Promise<void>;
    history: { role: string; content: string }[];
  };
  panel: vscode.WebviewPanel;
}

describe(`Databricks commands against the emulator (${MODE})`, () => {
  let emu: Emulator;
  let cfgDir: string;
  const settings = vscode.workspace.getConfiguration();
  const set = (key: string, value: unknown) => settings.update(key, value, vscode.ConfigurationTarget.Global);

  before(async () => {
    await activateExtension();
    emu = new Emulator(DEFAULT_SEED);
    const url = await emu.start(0);
    cfgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-e2e-dbx-'));
    const cfg = path.join(cfgDir, 'databrickscfg');
    fs.writeFileSync(
      cfg,
      `[alice]\nhost = ${url}\ntoken = ${ALICE_TOKEN}\n\n[bob]\nhost = ${url}\ntoken = ${BOB_TOKEN}\n`,
    );
    await set('oboAgents.databricks.configFile', cfg);
    await set('oboAgents.deploy.logRegisterScript', LOG_REGISTER);
    await set('oboAgents.deploy.pollIntervalSeconds', 0.1);
  });

  after(async () => {
    for (const key of [
      'oboAgents.databricks.configFile',
      'oboAgents.deploy.logRegisterScript',
      'oboAgents.deploy.pollIntervalSeconds',
    ]) {
      await set(key, undefined);
    }
    await emu?.close();
    fs.rmSync(cfgDir, { recursive: true, force: true });
  });

  itFeature('databricks', "Select Databricks Profile connects as the profile's user", async () => {
    const connected = await vscode.commands.executeCommand<{ user: { userName: string } } | undefined>(
      'oboAgents.selectProfile',
      'alice',
    );
    assert.strictEqual(connected?.user.userName, 'alice@example.com');
    assert.ok(
      emu.state.requests.some((r) => r.path === '/api/2.0/preview/scim/v2/Me'),
      'validated with SCIM Me',
    );
  });

  itFeature('databricks', 'Show Deployment Plan infers the auth policy from the code', async () => {
    const plan = await vscode.commands.executeCommand<Plan>(
      'oboAgents.showDeploymentPlan',
      wsUri('project/agent.py'),
      { modelName: MODEL },
    );
    assert.ok(plan, 'a plan');
    assert.strictEqual(plan.model.full, MODEL);
    assert.strictEqual(plan.endpointName, ENDPOINT);
    assert.deepStrictEqual(plan.userScopes.map((s) => s.scope).sort(), [
      'dashboards.genie',
      'serving.serving-endpoints',
    ]);
    const resources = plan.resources.map((r) => `${r.resource}:${r.name ?? ''}`);
    assert.ok(
      resources.includes('DatabricksServingEndpoint:databricks-claude-sonnet-4'),
      resources.join(', '),
    );
    assert.ok(
      plan.blocking.some((b) => b.code === 'OBO101'),
      'the init-time client blocks a deploy',
    );
    const shown = vscode.window.visibleTextEditors.find(
      (e) => e.document.isUntitled && /dashboards\.genie/.test(e.document.getText()),
    );
    assert.ok(shown, 'the plan is shown in an editor');
  });

  itFeature(
    'databricks',
    'Deploy Agent logs, registers, serves and waits until the endpoint is ready',
    async function (this: Mocha.Context) {
      this.timeout(90000);
      const result = await vscode.commands.executeCommand<DeployResult | undefined>(
        'oboAgents.deployAgent',
        wsUri('project/agent.py'),
        {
          modelName: MODEL,
          confirm: false,
          deployAnyway: true,
        },
      );
      assert.ok(result, 'the deploy finished (see the OBO Agents log)');
      assert.strictEqual(result.endpointName, ENDPOINT);
      assert.strictEqual(result.version, '1');
      const ep = emu.state.endpoints.get(ENDPOINT);
      assert.ok(ep, 'the endpoint exists in the emulator');
      assert.strictEqual(ep.state.ready, 'READY');
      assert.strictEqual(ep.state.config_update, 'NOT_UPDATING');
      assert.ok(emu.state.models.get(MODEL)?.versions.has(1), 'version 1 is registered in Unity Catalog');
    },
  );

  itFeature(
    'databricks',
    'Query Endpoint answers on behalf of the calling user',
    async function (this: Mocha.Context) {
      this.timeout(60000);
      const pg = await vscode.commands.executeCommand<Playground | undefined>(
        'oboAgents.queryEndpoint',
        ENDPOINT,
      );
      assert.ok(pg, 'the playground opened');
      try {
        await pg.controller.handle({ type: 'send', text: 'Hello from the e2e suite' });
        const reply = pg.controller.history.find((t) => t.role === 'assistant');
        assert.ok(reply, `an answer; history: ${JSON.stringify(pg.controller.history)}`);
        assert.match(reply.content, /alice@example\.com/);
        assert.match(reply.content, /Hello from the e2e suite/);
      } finally {
        pg.panel.dispose();
      }
    },
  );

  itFeature(
    'databricks',
    "Test-Invoke Agent Locally runs the agent in python3 with the profile's credentials",
    async function (this: Mocha.Context) {
      this.timeout(60000);
      const pg = await vscode.commands.executeCommand<Playground | undefined>(
        'oboAgents.testInvokeLocally',
        wsUri('local_agent/echo_agent.py'),
      );
      assert.ok(pg, 'the playground opened');
      try {
        await pg.controller.handle({ type: 'send', text: 'ping' });
        const reply = pg.controller.history.find((t) => t.role === 'assistant');
        assert.ok(reply, `an answer; history: ${JSON.stringify(pg.controller.history)}`);
        assert.strictEqual(reply.content, 'Echo for alice@example.com: ping');
      } finally {
        pg.panel.dispose();
      }
    },
  );

  itFeature(
    'databricks',
    'a cancelled deploy stops waiting, says the deployment continues, and the next one recovers',
    async function (this: Mocha.Context) {
      if (!hasUiBridge()) {
        this.skip(); // cancelling needs a click on the notification: only test/e2e/run.sh's runner can do it
      }
      this.timeout(120000);
      emu.state.options.settleAfterPolls = 0; // the update stays IN_PROGRESS until advanced
      try {
        const polling = nextEvent(
          (listener: (r: { method: string; path: string }) => void) => {
            emu.events.on('request', listener);
            return { dispose: () => emu.events.off('request', listener) };
          },
          (r) =>
            r.method === 'GET' &&
            r.path === `/api/2.0/serving-endpoints/${ENDPOINT}` &&
            emu.state.endpoints.get(ENDPOINT)?.state.config_update === 'IN_PROGRESS',
          'the deploy to poll the updating endpoint',
          60000,
        );
        const deploying = vscode.commands.executeCommand<DeployResult | undefined>(
          'oboAgents.deployAgent',
          wsUri('project/agent.py'),
          {
            modelName: MODEL,
            confirm: false,
            deployAnyway: true,
          },
        );
        await polling;
        await vscode.commands.executeCommand('notifications.showList');
        const answer = await uiAction({
          action: 'cancelProgress',
          title: `Deploying ${MODEL}`,
          expect: 'continues on Databricks',
        });
        assert.ok(answer.ok, `the runner clicked Cancel: ${answer.error}`);
        assert.match(answer.text ?? '', /stopped waiting/i);
        await vscode.commands.executeCommand('notifications.clearAll'); // dismisses the message the command awaits
        assert.strictEqual(await deploying, undefined, 'a cancelled deploy returns nothing');
        const ep = emu.state.endpoints.get(ENDPOINT)!;
        assert.strictEqual(ep.state.config_update, 'IN_PROGRESS', 'cancel stops waiting, not the deployment');
        assert.ok(emu.state.models.get(MODEL)?.versions.has(2), 'version 2 was registered before the cancel');
      } finally {
        emu.state.options.settleAfterPolls = 2;
      }
      const again = await vscode.commands.executeCommand<DeployResult | undefined>(
        'oboAgents.deployAgent',
        wsUri('project/agent.py'),
        {
          modelName: MODEL,
          confirm: false,
          deployAnyway: true,
        },
      );
      assert.ok(again, 'the next deploy waits for the earlier update, then deploys');
      assert.strictEqual(again.version, '3');
      assert.strictEqual(emu.state.endpoints.get(ENDPOINT)?.state.ready, 'READY');
    },
  );
});
