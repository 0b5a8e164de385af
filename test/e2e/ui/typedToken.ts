// The UI check's typed-token steps: a token typed into Select Databricks Profile drives the Databricks commands, then no file, log, storage, message or visible text holds it.
//
// Why the UI and not the extension host: the token must enter the way a person enters it (the two input boxes of
// "Enter a host and personal access token…"); the production command has no argument for a token, and adding one
// only for tests would be a second way in. The emulator runs here, in the UI check's own Node process, seeded with a
// fresh random token that matches none of the redactor's token shapes (dapi…, Bearer …, JWTs), so only the
// extension's registration of the typed secret can mask it.
//
// What is scanned after the commands have run (the token in UTF-8 and UTF-16): every file of the run's folder (the
// VS Code user data with its logs and output channels, global and workspace storage, the private TMPDIR and HOME,
// the workspace copy, code-server's own log), every IndexedDB record of the workbench (the web workbench keeps its
// state and window logs there), every postMessage seen by any frame (webview traffic), the text and input values of
// every frame, and the page's console. Positive controls make sure each source really held what it should.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { Emulator } from '../../emulator/emulator';
import { scanForToken } from './tokenScan';
import { ENDPOINT, MODEL, needles, TOKEN, USER, WRONG_TOKEN } from './typedTokenValues';
import {
  answerDialog,
  focusFile,
  notification,
  playgroundFrame,
  send,
  showNotifications,
  type Workbench,
} from './workbenchActions';

export { TOKEN } from './typedTokenValues';
export type { Workbench } from './workbenchActions';

const REPO = path.resolve(__dirname, '../../../..');

const LEAKY_AGENT = `"""Written by the UI check (test/e2e/ui/typedToken.ts): a careless agent that prints its token and fails with it."""
import json
import os
import sys
import urllib.request


def current_user():
    req = urllib.request.Request(os.environ["DATABRICKS_HOST"].rstrip("/") + "/api/2.0/preview/scim/v2/Me")
    req.add_header("Authorization", "Bearer " + os.environ["DATABRICKS_TOKEN"])
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["userName"]


class LeakyAgent:
    def predict_stream(self, request):
        token = os.environ.get("DATABRICKS_TOKEN", "")
        user = current_user()
        print("leaky agent stdout: my token is " + token, flush=True)
        sys.stderr.write("leaky agent stderr: using " + token + "\\n")
        yield {"type": "response.output_text.delta", "item_id": "m1", "delta": "Leaky for %s with %s" % (user, token)}
        raise RuntimeError("leaky agent failed with " + token)


AGENT = LeakyAgent()
`;

let emu: Emulator;
let runDir = '';
let workspace = '';
let settingsRevision = 0;
const consoleLines: string[] = [];
const watchers: fs.FSWatcher[] = [];
const transient = new Set<string>();
const transientHits = new Set<string>();

/** Before the workbench loads: the emulator, the settings the deploy needs, the leaky agent in the workspace copy. */
export async function prepareTypedToken(run: string, folder: string, page: Page): Promise<void> {
  runDir = run;
  workspace = folder;
  emu = new Emulator({
    principals: [{ token: TOKEN, userName: USER, displayName: 'Carol Typed', grants: ['*'] }],
    schemas: ['main.agents'],
  });
  await emu.start(0);
  // a machine-overridable setting: in a remote window (code-server) it is read from the remote machine's settings
  const machine = path.join(runDir, 'user', 'Machine');
  fs.mkdirSync(machine, { recursive: true });
  fs.writeFileSync(
    path.join(machine, 'settings.json'),
    JSON.stringify({
      'oboAgents.deploy.logRegisterScript': path.join(
        REPO,
        'test/fixtures/databricks/python/log_register_stdlib.py',
      ),
    }),
  );
  writeSettings({
    'oboAgents.deploy.pollIntervalSeconds': 0.1,
    // the OBO Agents Trace channel only exists when tracing is on (and has written): one more channel to scan
    'oboAgents.trace.server': 'verbose',
  });
  fs.writeFileSync(path.join(folder, 'local_agent', 'leaky_agent.py'), LEAKY_AGENT);
  page.on('console', (m) => consoleLines.push(m.text()));
  // Every frame (workbench, webview hosts, webview contents) records the messages it receives: webview traffic in
  // both directions passes through one of them.
  // The workbench and a webview's host frame talk over a MessagePort, so sends on ports are recorded too (a
  // webview's own frame is rewritten with document.open, which drops its listeners; its host sees its traffic).
  await page.addInitScript(() => {
    const w = window as unknown as { __oboMessages: string[] };
    w.__oboMessages = [];
    const record = (data: unknown) => {
      let s: string;
      try {
        s =
          typeof data === 'string'
            ? data
            : JSON.stringify(data, (_k, x: unknown) =>
                x instanceof Uint8Array ? new TextDecoder().decode(x) : x,
              );
      } catch {
        s = String(data);
      }
      if (w.__oboMessages.length < 50000) {
        w.__oboMessages.push(s);
      }
    };
    window.addEventListener('message', (e) => record(e.data), true);
    const send = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
      record(args[0]);
      return (send as (...a: unknown[]) => void).apply(this, args);
    } as typeof send;
  });
  // Files the extension creates and deletes again in its private TMPDIR and HOME are read while they exist.
  for (const dir of ['tmp', 'home']) {
    watchers.push(
      fs.watch(path.join(runDir, dir), { recursive: true }, (_e, name) => {
        const f = name && path.join(runDir, dir, name.toString());
        try {
          if (f && fs.statSync(f).isFile()) {
            transient.add(f);
            if (needles.some((n) => fs.readFileSync(f).includes(n))) {
              transientHits.add(f);
            }
          }
        } catch {
          // gone already, or a socket
        }
      }),
    );
  }
}

export async function closeTypedToken(): Promise<void> {
  watchers.forEach((x) => x.close());
  await emu?.close();
}

/** Merges `patch` into the user settings (before the workbench loads) or the workspace's (later: code-server does not
 * reload a user settings file changed behind its back, while the workspace's is an ordinary watched file). */
function writeSettings(
  patch: Record<string, unknown>,
  file = path.join(runDir, 'user', 'User', 'settings.json'),
): string {
  const marker = `obo-ui-settings-${++settingsRevision}`;
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  // window.title makes the change observable: once the page title shows the marker, the workbench has read the
  // file and has already sent the new configuration to the extension host (before any later command).
  fs.writeFileSync(file, JSON.stringify({ ...current, ...patch, 'window.title': marker }, null, 2));
  return marker;
}

async function updateSettings(page: Page, patch: Record<string, unknown>): Promise<void> {
  const marker = writeSettings(patch, path.join(workspace, '.vscode', 'settings.json'));
  await page.waitForFunction((m) => document.title.includes(m), marker, { timeout: 20000 });
}

export function typedTokenSteps(w: Workbench): [string, () => Promise<void>][] {
  const input = () => w.page.locator('.quick-input-widget input.input');
  const widget = (text: string) => w.page.locator('.quick-input-widget').filter({ hasText: text });
  /** In the Select Databricks Profile picker: "Enter a host and personal access token…", then both input boxes. */
  const enterHostAndToken = async (token: string) => {
    const page = w.page;
    await page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ hasText: 'Enter a host and personal access token' })
      .first()
      .click();
    await widget('Databricks workspace URL').waitFor({ timeout: 10000 });
    await input().fill(emu.url);
    await page.keyboard.press('Enter');
    await widget('Personal access token for').waitFor({ timeout: 10000 });
    assert.strictEqual(await input().getAttribute('type'), 'password', 'the token box masks what is typed');
    await input().pressSequentially(token, { delay: 5 });
    await page.keyboard.press('Enter');
  };
  return [
    [
      'Typed token: Select Databricks Profile, "Enter a host and token": a wrong token fails, the right one connects',
      async () => {
        const page = w.page;
        await w.palette('OBO Agents: Select Databricks Profile');
        await enterHostAndToken(WRONG_TOKEN);
        // the failure offers to select again: the way a person who mistyped the token gets back
        await showNotifications(w);
        const failed = notification(page, 'rejected the token as invalid');
        await failed.waitFor({ timeout: 30000 });
        await failed.hover();
        await failed.locator('.monaco-button').filter({ hasText: 'Select Another Profile' }).first().click();
        await enterHostAndToken(TOKEN);
        const host = emu.url.replace(/^https?:\/\//, '');
        await page
          .locator('.statusbar-item')
          .filter({ hasText: `${USER} · ${host}` })
          .first()
          .waitFor({ timeout: 30000 });
        assert.ok(
          emu.state.requests.some((r) => r.path === '/api/2.0/preview/scim/v2/Me' && r.user === USER),
          "the emulator saw SCIM Me as the typed token's user",
        );
      },
    ],
    [
      'Typed token: Deploy Agent from the command palette deploys as that user',
      async () => {
        const page = w.page;
        await focusFile(w, 'project/agent.py');
        await w.palette('OBO Agents: Deploy Agent');
        // the model name is remembered from Show Deployment Plan; asked only when that step did not run
        const prompt = widget('Unity Catalog model');
        const dialog = page.locator('.monaco-dialog-box');
        await prompt.or(dialog).first().waitFor({ timeout: 30000 });
        if (await prompt.isVisible()) {
          await input().fill(MODEL);
          await page.keyboard.press('Enter');
        }
        // OBO101 stays in the fixture agent, so the deploy first asks whether to deploy anyway
        await answerDialog(page, 'would break it on Model Serving', 'Deploy anyway');
        const said = await answerDialog(page, `as ${USER}?`, 'Deploy');
        assert.ok(said.includes(`to endpoint ${ENDPOINT}`), 'the confirmation names the endpoint');
        await showNotifications(w);
        await notification(page, `${ENDPOINT} is ready, serving ${MODEL}`).waitFor({ timeout: 120000 });
        assert.strictEqual(emu.state.endpoints.get(ENDPOINT)?.state.ready, 'READY');
      },
    ],
    [
      'Typed token: Query now answers as that user; a server error echoing the token shows it masked',
      async () => {
        const page = w.page;
        const ready = notification(page, `${ENDPOINT} is ready`);
        await ready.hover();
        await ready.locator('.monaco-button').filter({ hasText: 'Query now' }).first().click();
        const frame = await playgroundFrame(page, ENDPOINT);
        // a gateway that echoes the credential it rejected: the message reaches the webview and the log
        emu.state.faults.push({
          route: /\/serving-endpoints\/[^/]+\/invocations$/,
          method: 'POST',
          status: 400,
          body: { error_code: 'BAD_REQUEST', message: `the gateway rejected credential ${TOKEN}` },
          times: 1,
        });
        await send(frame, 'first try');
        const error = frame.locator('.error').filter({ hasText: 'rejected credential' }).first();
        await error.waitFor({ timeout: 30000 });
        // (no assert.match: its failure message would print the token)
        assert.ok(/rejected credential \*\*\*/.test(await error.innerText()), 'the echoed token is masked');
        await send(frame, 'Hello from the UI check');
        await frame.locator('.assistant').filter({ hasText: USER }).first().waitFor({ timeout: 30000 });
      },
    ],
    [
      'Typed token: Test-Invoke Agent Locally runs an agent that prints the token; the playground masks it',
      async () => {
        const page = w.page;
        await focusFile(w, 'local_agent/leaky_agent.py');
        await w.palette('OBO Agents: Test-Invoke Agent Locally', true);
        const frame = await playgroundFrame(page, 'leaky_agent.py');
        await send(frame, 'leak please');
        await frame
          .locator('.assistant')
          .filter({ hasText: `Leaky for ${USER} with ***` })
          .first()
          .waitFor({ timeout: 60000 });
        await frame
          .locator('.error')
          .filter({ hasText: 'leaky agent failed with ***' })
          .first()
          .waitFor({ timeout: 30000 });
        // the "{ } response" JSON view is one more place the agent's output lands
        // (wait until it is the active editor, or it would take the focus from the next command palette)
        await frame.locator('a').filter({ hasText: '{ } response' }).last().click();
        await page.locator('#status\\.editor\\.mode').filter({ hasText: 'JSON' }).waitFor({ timeout: 20000 });
      },
    ],
    [
      'Typed token: Forget Stored Databricks Token removes it; with the host set, the next command finds no token',
      async () => {
        const page = w.page;
        await w.palette('OBO Agents: Forget Stored Databricks Token');
        await showNotifications(w);
        await notification(page, `Forgot the token stored for ${emu.url}`).waitFor({ timeout: 20000 });
        const connected = page.locator('.statusbar-item').filter({ hasText: USER });
        await connected
          .first()
          .waitFor({ state: 'hidden', timeout: 20000 })
          .catch(async (e: Error) => {
            const items = await connected.evaluateAll((es) => es.map((x) => x.outerHTML.slice(0, 300)));
            throw new Error(`${e.message.split('\n')[0]}; still showing ${USER}: ${items.join(' | ')}`);
          });
        // The host setting makes the next command look the token up in SecretStorage (forgetting also clears the
        // picker's choice, so without it the command would fail for that reason alone).
        const requests = emu.state.requests.length;
        await updateSettings(page, { 'oboAgents.databricks.host': emu.url });
        await w.palette('OBO Agents: Query Endpoint');
        await showNotifications(w);
        await notification(page, `No token or profile is known for ${emu.url}`).waitFor({ timeout: 30000 });
        assert.strictEqual(emu.state.requests.length, requests, 'no request reached the workspace');
      },
    ],
    [
      'Typed token: 0 occurrences in every log, storage, temp file, webview message and the workbench text',
      async () => {
        await scanForToken(w.page, { runDir, consoleLines, transient, transientHits });
      },
    ],
  ];
}
