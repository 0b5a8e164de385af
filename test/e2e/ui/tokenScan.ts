// The typed-token check's final scan: every file of the run folder, IndexedDB, frame texts, webview messages and the console.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { around, hasToken, needles, USER } from './typedTokenValues';

/** What the steps collected while they ran, besides the run folder itself. */
export interface TokenSources {
  /** The run's folder: VS Code user data, storage, private TMPDIR and HOME, the workspace copy. */
  readonly runDir: string;
  readonly consoleLines: readonly string[];
  /** Files seen in TMPDIR and HOME while they existed, and those among them that held the token. */
  readonly transient: ReadonlySet<string>;
  readonly transientHits: ReadonlySet<string>;
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

const isOboLog = (f: string) =>
  /[\\/]exthost\d*[\\/]obo-agents\.obo-agents[\\/]/.test(f) && f.endsWith('.log');

export async function scanForToken(page: Page, seen: TokenSources): Promise<void> {
  const { runDir, consoleLines, transient, transientHits } = seen;
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
