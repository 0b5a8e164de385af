// Tokens never leak: every log line, error message, emulator log and new temp file is scanned for the token.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { deploy, DeployError } from '../../client/src/databricks/deploy';
import { PythonModelLogStep, type ModelLogStep } from '../../client/src/databricks/logStep';
import { invokeLocally } from '../../client/src/databricks/harness';
import { queryEndpoint } from '../../client/src/databricks/endpointQuery';
import { MemoryLog, Redactor, redactingLog } from '../../client/src/databricks/redact';
import { randomBytes } from 'node:crypto';
import { plan, stdlibLogStep } from './fixtures';
import { FIXTURES, PYTHON, ROOT, session, useEmulator } from './helpers';

/** Files under the temp dir written since `since` (bounded depth and size). */
function newTempFiles(since: number, dir = tmpdir(), depth = 0): string[] {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const f = path.join(dir, n);
    try {
      const st = statSync(f);
      if (st.isDirectory() && depth < 3) {
        out.push(...newTempFiles(since, f, depth + 1));
      } else if (st.isFile() && st.mtimeMs >= since && st.size < 2_000_000) {
        out.push(f);
      }
    } catch {
      // vanished or unreadable: not ours
    }
  }
  return out;
}

describe('redaction', () => {
  it('masks registered secrets and token-shaped strings', () => {
    const r = new Redactor();
    r.add('my-oauth-access-token-value');
    const text = [
      'a my-oauth-access-token-value b',
      'Authorization: Bearer abcdefghijklmnop',
      'dapi0123456789abcdef0123456789abcdef-2',
      '{"token": "s3cr3t-v4lue"}',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ].join('\n');
    const out = r.redact(text);
    for (const secret of [
      'my-oauth-access-token-value',
      'abcdefghijklmnop',
      '0123456789abcdef0123456789abcdef',
      's3cr3t-v4lue',
      'dozjgNryP4J3',
    ]) {
      assert.ok(!out.includes(secret), `${secret} leaked in ${out}`);
    }
    assert.match(out, /Authorization: Bearer \*\*\*/);
  });

  describe('across a deploy', () => {
    const env = useEmulator();

    it('leaves 0 occurrences of the token in logs, messages, the request log and temp files', async () => {
      const since = Date.now() - 1000;
      // A token no other test file knows, so their temp files cannot be mistaken for leaks.
      const TOKEN = `dapi${randomBytes(16).toString('hex')}`;
      await env.ctl.seed({ principals: [{ token: TOKEN, userName: 'carol@example.com', grants: ['*'] }] });
      const s = session(env.url, TOKEN);
      const mem = new MemoryLog();
      const log = redactingLog(mem, s.redactor);
      const messages: string[] = [];
      const signal = new AbortController().signal;
      const progress = (_s: string, m: string) => messages.push(m);
      // Three deploys of the same plan, as the same user, into the same log: only the log/register step differs.
      const deployWith = (logStep: ModelLogStep) =>
        deploy({ session: s, plan: plan(), logStep, log, signal, progress, pollIntervalMs: 5 });
      await deployWith(stdlibLogStep(s, log));
      const leaky = new PythonModelLogStep({
        python: 'python3',
        script: path.join(FIXTURES, 'python', 'leaky_log_register.py'),
        session: s,
        log,
      });
      const e = await deployWith(leaky).catch((x: unknown) => x);
      assert.ok(e instanceof DeployError);
      messages.push(e.message, e.why, String(e.stack));
      await env.ctl.fault({
        route: 'serving-endpoints',
        status: 500,
        body: { message: `echo ${TOKEN}` },
      });
      const e2 = await deployWith(stdlibLogStep(s, log)).catch((x: unknown) => x);
      assert.ok(e2 instanceof DeployError);
      messages.push(e2.message);
      // Local test-invoke of a leaky agent: webview events, logs and errors.
      await invokeLocally(
        {
          file: path.join(FIXTURES, 'agents', 'leaky_agent.py'),
          messages: [{ role: 'user', content: 'hi' }],
        },
        {
          python: PYTHON,
          harnessScript: path.join(ROOT, 'client', 'python', 'harness.py'),
          env: await s.childEnv(),
          redactor: s.redactor,
          log,
          signal,
          onEvent: (ev) => messages.push(JSON.stringify(ev)),
        },
      );
      assert.ok(
        messages.some((m) => m.includes('your token is ***')),
        'the agent did emit it',
      );
      // Endpoint query events, with the emulator echoing the token in an error.
      await env.ctl.clearFaults();
      await env.ctl.fault({ route: '/invocations$', status: 500, body: { message: `bad ${TOKEN}` } });
      await queryEndpoint(
        s,
        {
          endpoint: 'agents_main-agents-bot',
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
          returnTrace: true,
        },
        signal,
        (ev) => messages.push(JSON.stringify(ev)),
      );
      assert.ok(messages.some((m) => m.includes('Databricks answered 500')));
      // The leaky script really did print it: the scan below would catch a missed path.
      assert.ok(mem.lines.some((l) => l.includes('debug: using token ***')));
      assert.ok(mem.lines.length > 10);
      const haystacks: [string, string][] = [
        ...mem.lines.map((l): [string, string] => ['log', l]),
        ...messages.map((m): [string, string] => ['message', m]),
        ['request log', JSON.stringify(await env.ctl.requests())],
        ...newTempFiles(since).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
      ];
      const leaks = haystacks.filter(([, text]) => text.includes(TOKEN) || text.includes(TOKEN.slice(4)));
      assert.deepEqual(
        leaks.map(([where]) => where),
        [],
      );
    });
  });
});
