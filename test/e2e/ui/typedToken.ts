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
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { Emulator } from '../../emulator/emulator';
import { tabNamed } from './tabs';

/** What the UI check lends these steps. */
export interface Workbench {
  readonly page: Page;
  palette(title: string, exact?: boolean): Promise<void>;
  openFile(rel: string): Promise<void>;
}

const REPO = path.resolve(__dirname, '../../../..');
const USER = 'carol@example.com';
const MODEL = 'main.agents.support_agent';
const ENDPOINT = 'agents_main-agents-support_agent';
/** Fresh per run, so nothing left over from another run (or written in the repository) can match. */
export const TOKEN = `oboTyped${randomBytes(16).toString('hex')}`;
/** Typed first, by mistake: the emulator rejects it, and it must not leak either. */
const WRONG_TOKEN = `oboWrong${randomBytes(16).toString('hex')}`;
const needles = [TOKEN, WRONG_TOKEN].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le')]);
const hasToken = (text: string) => text.includes(TOKEN) || text.includes(WRONG_TOKEN);

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

const notification = (page: Page, text: string | RegExp) =>
  page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();

/** Toasts are hidden under the smoke-test driver: notifications are read in the notifications center. */
async function showNotifications(w: Workbench): Promise<void> {
  await w.palette('Notifications: Show Notifications');
  await w.page.locator('.notifications-center').waitFor({ state: 'visible', timeout: 10000 });
}

/** Waits for a modal dialog saying `text` and clicks the button labelled exactly `label`; returns the dialog's text. */
async function answerDialog(page: Page, text: string | RegExp, label: string): Promise<string> {
  const box = page.locator('.monaco-dialog-box').filter({ hasText: text }).first();
  await box.waitFor({ timeout: 30000 });
  const said = (await box.innerText()).replace(/\s+/g, ' ');
  await box
    .locator('.monaco-button')
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .click();
  await box.waitFor({ state: 'detached', timeout: 10000 });
  return said;
}

/** The webview frame of the Agent Playground whose title contains `title`. */
async function playgroundFrame(page: Page, title: string): Promise<Frame> {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const t = await f.evaluate(() => document.getElementById('title')?.textContent ?? '').catch(() => '');
      if (t.includes(title)) {
        return f;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no Agent Playground titled "${title}"`);
}

/** Opens `rel` and makes it the active editor (commands act on it); Quick Open alone can leave a side editor active. */
async function focusFile(w: Workbench, rel: string): Promise<void> {
  await w.openFile(rel);
  const page = w.page;
  const tab = page.locator('.tab.active').filter({ hasText: tabNamed(path.basename(rel)) });
  const group = page.locator('.editor-group-container').filter({ has: tab }).first();
  await group.locator('.monaco-editor .view-lines').first().click();
  await page.locator('#status\\.editor\\.mode').filter({ hasText: 'Python' }).waitFor({ timeout: 10000 });
}

async function send(frame: Frame, text: string): Promise<void> {
  await frame.locator('#send:not([disabled])').waitFor({ timeout: 20000 });
  await frame.locator('#input').fill(text);
  await frame.locator('#send').click();
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
        await scanForToken(w.page);
      },
    ],
  ];
}

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(p, out);
    } else if (e.isFile()) {
      out.push(p);
    }
  }
}

/** Every IndexedDB record of the workbench's origin, as text (file contents decoded, objects as JSON). */
function dumpIndexedDb(page: Page): Promise<{ where: string; text: string }[]> {
  return page.evaluate(async () => {
    const out: { where: string; text: string }[] = [];
    const asText = (v: unknown): string => {
      if (v instanceof Uint8Array) {
        return new TextDecoder().decode(v);
      }
      if (v instanceof ArrayBuffer) {
        return new TextDecoder().decode(new Uint8Array(v));
      }
      if (typeof v === 'string') {
        return v;
      }
      return JSON.stringify(v, (_k, x: unknown) =>
        x instanceof Uint8Array ? new TextDecoder().decode(x) : x,
      );
    };
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
      });
    for (const info of await indexedDB.databases()) {
      if (!info.name) {
        continue;
      }
      const db = await req(indexedDB.open(info.name));
      try {
        for (const store of Array.from(db.objectStoreNames)) {
          const s = db.transaction(store, 'readonly').objectStore(store);
          const [keys, values] = await Promise.all([req(s.getAllKeys()), req(s.getAll())]);
          values.forEach((v, i) =>
            out.push({ where: `${info.name}/${store}/${String(keys[i])}`, text: asText(v) }),
          );
        }
      } finally {
        db.close();
      }
    }
    return out;
  });
}

/** Text, input values and recorded messages of every frame (the workbench, webview hosts and webviews). */
async function frameTexts(page: Page): Promise<{ where: string; text: string; messages: string[] }[]> {
  const out: { where: string; text: string; messages: string[] }[] = [];
  for (const f of page.frames()) {
    const got = await f
      .evaluate(() => {
        const values = Array.from(
          document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'),
        ).map((e) => e.value);
        return {
          text: [document.documentElement.innerText, ...values].join('\n'),
          messages: (window as unknown as { __oboMessages?: string[] }).__oboMessages ?? [],
        };
      })
      .catch(() => undefined);
    if (got) {
      out.push({ where: `frame ${f.url().slice(0, 120)}`, ...got });
    }
  }
  return out;
}

/** Up to 80 characters either side of the token, the token itself replaced (a failure message must not leak it). */
function around(text: string): string {
  const i = [TOKEN, WRONG_TOKEN].map((t) => text.indexOf(t)).find((x) => x >= 0) ?? 0;
  return text
    .slice(Math.max(0, i - 80), i + TOKEN.length + 80)
    .replaceAll(TOKEN, '<TOKEN>')
    .replaceAll(WRONG_TOKEN, '<WRONG_TOKEN>');
}

const isOboLog = (f: string) =>
  /[\\/]exthost\d*[\\/]obo-agents\.obo-agents[\\/]/.test(f) && f.endsWith('.log');

async function scanForToken(page: Page): Promise<void> {
  // Log files are written in batches: wait until the channel holds the last line the steps produced.
  const flushed = () => {
    const logs: string[] = [];
    walk(path.join(runDir, 'user', 'logs'), logs);
    return logs
      .filter(isOboLog)
      .some((f) => fs.readFileSync(f, 'utf8').includes('No token or profile is known'));
  };
  for (const deadline = Date.now() + 30000; !flushed() && Date.now() < deadline;) {
    await page.waitForTimeout(500);
  }
  assert.ok(flushed(), "the OBO Agents log has the last command's failure (logs flushed)");

  const found: string[] = [];
  const files: string[] = [];
  walk(runDir, files);
  let bytes = 0;
  const channels = new Map<string, string>();
  const storageText: string[] = [];
  for (const f of files) {
    const buf = fs.readFileSync(f);
    bytes += buf.length;
    const rel = path.relative(runDir, f);
    needles.forEach((n, i) => {
      if (buf.includes(n)) {
        found.push(`${rel}: …${around(buf.toString(i % 2 ? 'utf16le' : 'utf8'))}…`);
      }
    });
    if (isOboLog(f)) {
      channels.set(rel, buf.toString('utf8'));
    }
    if (/\.vscdb$|[\\/](globalStorage|workspaceStorage)[\\/]/.test(f)) {
      storageText.push(buf.toString('latin1'));
    }
  }
  for (const f of transientHits) {
    found.push(`${path.relative(runDir, f)} (while it existed)`);
  }
  // Positive controls: the OBO Agents channel was scanned, after the token had passed through it masked.
  const inChannel = (s: string) => [...channels.values()].some((text) => text.includes(s));
  console.log(`  OBO Agents log files scanned: ${[...channels.keys()].join(', ')}`);
  assert.ok(
    inChannel('rejected the token as invalid'),
    "the OBO Agents channel has the wrong token's failure",
  );
  assert.ok(inChannel(`Databricks: connected as ${USER}`), 'the OBO Agents channel has the connection line');
  assert.ok(
    inChannel('leaky agent stderr: using ***'),
    "the leaky agent's output reached the channel masked",
  );

  // The web workbench keeps its storage (the extension's workspace state among it) and window logs in IndexedDB.
  const records = await dumpIndexedDb(page);
  for (const r of records) {
    if (hasToken(r.text)) {
      found.push(`IndexedDB ${r.where}: …${around(r.text)}…`);
    }
  }
  assert.ok(
    [...records.map((r) => r.text), ...storageText].some((t) => t.includes('oboAgents.deploy.modelNames')),
    "the extension's workspace state (the remembered model name) was among the scanned storage",
  );

  const frames = await frameTexts(page);
  for (const fr of frames) {
    for (const [what, text] of [['text', fr.text], ...fr.messages.map((m) => ['message', m])]) {
      if (hasToken(text)) {
        found.push(`${fr.where} (${what}): …${around(text)}…`);
      }
    }
  }
  assert.ok(
    frames.some((f) => f.text.includes(`Leaky for ${USER} with ***`)),
    'the playground webviews were scanned',
  );
  const messages = frames.flatMap((f) => f.messages).join('\n');
  assert.ok(
    messages.includes('the gateway rejected credential ***'),
    'messages to the webviews were scanned',
  );
  assert.ok(messages.includes('leak please'), 'messages from the webviews were scanned');
  for (const line of consoleLines) {
    if (hasToken(line)) {
      found.push(`page console: …${around(line)}…`);
    }
  }

  console.log(
    `  scanned ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) in the run folder, ${transient.size} more ` +
      `seen in TMPDIR and HOME while they existed, ${records.length} IndexedDB records, ${frames.length} frames ` +
      `with ${frames.reduce((n, f) => n + f.messages.length, 0)} messages, ${consoleLines.length} console lines`,
  );
  // one line (the UI check prints a failure's first line); around() has already replaced the token
  assert.strictEqual(
    found.length,
    0,
    `the typed token appears in ${found.length} places: ${found.join(' | ')}`,
  );
}
