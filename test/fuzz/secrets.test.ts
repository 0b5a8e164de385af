// Secrets never leak: every command path of the plain Databricks modules runs against the emulator with known credentials, and every sink is scanned for them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DatabricksSession,
  describeSpec,
  resolveConnection,
  type ConnectionSpec,
} from '../../client/src/databricks/connection';
import { deploy } from '../../client/src/databricks/deploy';
import { endpointLogs, listAgentDeployments } from '../../client/src/databricks/deployments';
import { buildLogs, getEndpoint } from '../../client/src/databricks/endpointOps';
import { queryEndpoint } from '../../client/src/databricks/endpointQuery';
import { explain } from '../../client/src/databricks/errors';
import { invokeLocally } from '../../client/src/databricks/harness';
import { PythonModelLogStep } from '../../client/src/databricks/logStep';
import { computePlan, defaultDeploySettings } from '../../client/src/databricks/plan';
import { PlaygroundController, type ToWebview } from '../../client/src/databricks/playgroundController';
import {
  envConnection,
  parseDatabricksCfg,
  profilesFrom,
  readProfiles,
} from '../../client/src/databricks/profiles';
import { childEnvironment, runPython } from '../../client/src/databricks/python';
import { MemoryLog, Redactor, redactingLog } from '../../client/src/databricks/redact';
import { endpointRunner, localRunner } from '../../client/src/databricks/runners';
import { checkTrust } from '../../client/src/databricks/trust';
import { EmulatorControl } from '../emulator/control';
import { startEmulator, type Emulator } from '../emulator/emulator';
import { ROOT } from './corpus';
import { classify, type Failure, knownBugs } from './runner';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  DB_FIXTURES,
  HARNESS,
  hex,
  NEEDLES,
  newFiles,
  PYTHON,
  report,
  SHIM,
  TOKEN,
} from './secretsSupport';

// The module object itself (an ES import gives a read-only namespace), to watch every child the modules start.
const load = createRequire(__filename);
const childProcess = load('node:child_process') as typeof import('node:child_process');

describe('secrets never leak (known token, every command path, every sink)', () => {
  let emu: Emulator;
  let ctl: EmulatorControl;
  let work: string;
  let cfgDir: string;
  const since = Date.now() - 1000;
  /** [where, text]: everything a user, a log reader or another process could see. */
  const sinks: [string, string][] = [];
  const argvs: string[][] = [];
  const outcomes: Record<string, 'ok' | string> = {};
  const mem = new MemoryLog();
  const redactor = new Redactor();
  // The product wraps every channel in this (registerDatabricksFeatures); the modules get only the wrapped one.
  const log = redactingLog(mem, redactor);
  const originalSpawn = childProcess.spawn;
  const originalWrite = { out: process.stdout.write, err: process.stderr.write };

  const sink = (where: string, value: unknown) =>
    sinks.push([where, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))]);
  const sinkError = (where: string, e: unknown) => {
    const err = e as Error & { why?: string; detail?: string };
    sink(`${where}: error message`, err?.message ?? String(e));
    sink(`${where}: error stack`, err?.stack ?? '');
    sink(`${where}: error why`, err?.why ?? '');
    sink(
      `${where}: error JSON`,
      (() => {
        try {
          return JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}));
        } catch {
          return '';
        }
      })(),
    );
  };
  /** Runs one command path; its errors are sinks too (they reach notifications). */
  async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      const value = await fn();
      if (value !== undefined) {
        sink(`${name}: result`, value);
      }
      outcomes[name] = 'ok';
    } catch (e) {
      sinkError(name, e);
      outcomes[name] = e instanceof Error ? e.message.slice(0, 120) : String(e);
    }
  }

  before(async () => {
    emu = await startEmulator();
    ctl = new EmulatorControl(emu.url);
    await ctl.seed({
      principals: [
        { token: TOKEN, userName: 'carol@example.com', grants: ['*'] },
        {
          token: `dapi${hex(16)}`,
          userName: 'sp-agents',
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          grants: ['*'],
        },
      ],
      schemas: ['main.agents'],
    });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-secrets-'));
    // The config file holds the secrets on purpose: it is the one place they may be, so it is not scanned.
    cfgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-secrets-cfg-'));
    // Children are watched: a secret on a command line is visible to every user of the machine.
    (childProcess as { spawn: unknown }).spawn = (
      cmd: string,
      args: readonly string[] = [],
      ...rest: unknown[]
    ) => {
      argvs.push([cmd, ...args]);
      return (originalSpawn as (...a: unknown[]) => unknown)(cmd, args, ...rest);
    };
    // Anything printed by the modules (console, stray writes) is a log line too.
    const tee = (where: string, original: typeof process.stdout.write) =>
      function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        sink(where, String(chunk));
        return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof process.stdout.write;
    process.stdout.write = tee('process stdout', originalWrite.out);
    process.stderr.write = tee('process stderr', originalWrite.err);
  });

  after(() => {
    emu?.close();
    (childProcess as { spawn: unknown }).spawn = originalSpawn;
    process.stdout.write = originalWrite.out;
    process.stderr.write = originalWrite.err;
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(cfgDir, { recursive: true, force: true });
  });

  it(
    'leaves 0 occurrences of the token or client secret in logs, messages, webview posts, request logs, argv and temp files',
    { timeout: 5 * 60_000 },
    async (t) => {
      const url = emu.url;
      const cfg = path.join(cfgDir, 'databrickscfg');
      fs.writeFileSync(
        cfg,
        [
          `[carol]\nhost = ${url}\ntoken = ${TOKEN}\n`,
          `[sp]\nhost = ${url}\nclient_id = ${CLIENT_ID}\nclient_secret = ${CLIENT_SECRET}\n`,
          `[wronghost]\nhost = http://127.0.0.1:1\ntoken = ${TOKEN}\n`,
        ].join('\n'),
      );
      // Malformed sections and lines carrying the secrets, in a file of their own so the SDK reads the good
      // one: parse problems must not quote them.
      const brokenCfg = path.join(cfgDir, 'broken-databrickscfg');
      fs.writeFileSync(
        brokenCfg,
        `token = ${TOKEN}\n[broken\ntoken = ${TOKEN}\n[dup]\nhost = ${url}\ntoken ${TOKEN}\n= ${CLIENT_SECRET}\n[dup]\nclient_secret=${CLIENT_SECRET}\n`,
      );
      const signal = new AbortController().signal;
      const progress = (stepName: string, m: string) => sink(`progress ${stepName}`, m);

      // Profiles and connection choice.
      for (const file of [cfg, brokenCfg, path.join(cfgDir, 'missing')]) {
        // What the UI shows of it: profile names, hosts, key names, and the line numbers of unreadable lines
        // (errors[].text keeps the raw line, secrets included: fine while only line numbers leave the module).
        await step(`readProfiles ${path.basename(file)}`, async () => {
          const r = await readProfiles(file);
          return { profiles: r.profiles, errorLines: r.errors.map((e) => e.line) };
        });
      }
      await step('profilesFrom', async () =>
        profilesFrom(parseDatabricksCfg(fs.readFileSync(brokenCfg, 'utf8'))),
      );
      await step('envConnection', async () =>
        envConnection({ DATABRICKS_HOST: url, DATABRICKS_TOKEN: TOKEN }),
      );
      const profiles = (await readProfiles(cfg)).profiles;
      for (const chosen of [
        undefined,
        { kind: 'token' as const, host: url },
        { kind: 'profile' as const, profile: 'nope' },
      ]) {
        // The spec carries the credential by design; its source and problem reach the status bar and logs.
        await step(`resolveConnection ${chosen?.kind ?? 'env'}`, async () => {
          const r = await resolveConnection({
            settings: {},
            chosen,
            env: { DATABRICKS_HOST: url, DATABRICKS_TOKEN: TOKEN },
            configFile: cfg,
            profiles,
            tokenFor: async () => TOKEN,
          });
          return { source: r.source, problem: r.problem, spec: r.spec && describeSpec(r.spec) };
        });
      }

      // Sessions of every kind, valid and failing (wrong host, wrong secret, faults echoing the token, timeouts).
      const specs: [string, ConnectionSpec][] = [
        ['token', { kind: 'token', host: url, token: TOKEN }],
        ['profile', { kind: 'profile', profile: 'carol', configFile: cfg }],
        ['m2m', { kind: 'profile', profile: 'sp', configFile: cfg }],
        ['env', { kind: 'env', env: { DATABRICKS_HOST: url, DATABRICKS_TOKEN: TOKEN } }],
        ['wronghost', { kind: 'profile', profile: 'wronghost', configFile: cfg }],
        ['badtoken-host', { kind: 'token', host: 'http://127.0.0.1:1', token: TOKEN }],
      ];
      const sessions = new Map<string, DatabricksSession>();
      for (const [name, spec] of specs) {
        const s = new DatabricksSession(spec, redactor, 3000, { retryTimeoutSeconds: 2 });
        sessions.set(name, s);
        await step(`currentUser ${name}`, () => s.currentUser(signal));
        // childEnv's value goes to a child's environment only: not a sink, but it must not be logged.
        await step(`childEnv ${name}`, async () => {
          await s.childEnv();
        });
      }
      const s = sessions.get('token') as DatabricksSession;
      await ctl.fault({ route: 'scim/v2/Me', status: 401, body: { message: `token ${TOKEN} is expired` } });
      await step('currentUser 401 echo', () => s.currentUser(signal));
      await ctl.fault({
        route: 'scim/v2/Me',
        status: 500,
        body: { message: `Authorization: Bearer ${TOKEN}` },
      });
      await step('currentUser 500 echo', () => s.currentUser(signal));
      await ctl.fault({ route: 'scim/v2/Me', delayMs: 2000 });
      await step('currentUser timeout', () =>
        new DatabricksSession(s.spec, redactor, 200).currentUser(signal),
      );
      await ctl.clearFaults();
      await step('explain', async () => {
        throw explain(
          new Error(`failed with ${TOKEN} and Authorization: Bearer ${TOKEN}`),
          'Doing a thing',
          'Nothing changed.',
          redactor,
        );
      });

      // Deploy: success, a log step that prints the token, a script that dies with it, faults echoing it, cancel.
      const agentFile = path.join(DB_FIXTURES, 'agents', 'plain_responses.py');
      const plan = computePlan(report(agentFile), [], 'main.agents.bot', defaultDeploySettings());
      const logStep = (script: string) => new PythonModelLogStep({ python: PYTHON, script, session: s, log });
      const dieScript = path.join(work, 'die_with_token.py');
      fs.writeFileSync(
        dieScript,
        'import os, sys\nsys.stderr.write("boom " + os.environ.get("DATABRICKS_TOKEN", "") + "\\n")\nraise SystemExit("token " + os.environ.get("DATABRICKS_TOKEN", ""))\n',
      );
      const stdlibScript = path.join(DB_FIXTURES, 'python', 'log_register_stdlib.py');
      const deployWith = (name: string, script: string, sig = signal) =>
        step(name, () =>
          deploy({
            session: s,
            plan,
            logStep: logStep(script),
            log,
            signal: sig,
            progress,
            pollIntervalMs: 5,
          }),
        );
      await deployWith('deploy ok', stdlibScript);
      await deployWith('deploy leaky log step', path.join(DB_FIXTURES, 'python', 'leaky_log_register.py'));
      await deployWith('deploy dying log step', dieScript);
      await ctl.fault({
        route: 'serving-endpoints',
        status: 500,
        body: { message: `echo ${TOKEN}` },
        times: 3,
      });
      await deployWith('deploy 500 echo', stdlibScript);
      await ctl.clearFaults();
      await ctl.fault({ deployFailure: `build failed: pip saw ${TOKEN}`, route: '.*' });
      await deployWith('deploy build failure echo', stdlibScript);
      await ctl.clearFaults();
      const cancel = new AbortController();
      setImmediate(() => cancel.abort());
      await deployWith('deploy cancelled', stdlibScript, cancel.signal);

      // Deployments view and endpoint operations.
      const ops = { session: s, signal, log, progress: (_: 'wait', m: string) => sink('ops progress', m) };
      await step('listAgentDeployments', () => listAgentDeployments(s, signal));
      const deployments = await listAgentDeployments(s, signal).catch(() => []);
      for (const d of deployments) {
        await step(`endpointLogs ${d.name}`, () => endpointLogs(s, d, signal));
        await step(`getEndpoint ${d.name}`, () => getEndpoint(ops, d.name));
        await step(`buildLogs ${d.name}`, () => buildLogs(ops, d.name, d.servedEntity ?? 'x'));
      }
      await ctl.fault({
        route: 'serving-endpoints',
        status: 403,
        body: { message: `no access for ${TOKEN}` },
        times: -1,
      });
      await step('listAgentDeployments 403 echo', () => listAgentDeployments(s, signal));
      await ctl.clearFaults();

      // Endpoint queries (streamed and not), with the token echoed in errors.
      const endpoint = deployments[0]?.name ?? 'agents_main-agents-bot';
      for (const stream of [true, false]) {
        await step(`queryEndpoint stream=${stream}`, () =>
          queryEndpoint(
            s,
            { endpoint, messages: [{ role: 'user', content: 'hi' }], stream, returnTrace: true },
            signal,
            (e) => sink('query event', e),
          ),
        );
      }
      await ctl.fault({ route: '/invocations$', status: 500, body: { message: `bad ${TOKEN}` } });
      await step('queryEndpoint 500 echo', () =>
        queryEndpoint(
          s,
          { endpoint, messages: [{ role: 'user', content: 'hi' }], stream: true, returnTrace: true },
          signal,
          (e) => sink('query event', e),
        ),
      );
      await ctl.clearFaults();

      // Local test-invoke of an agent that prints, returns and raises its token; and a raw Python run.
      const childEnv = await s.childEnv();
      await step('invokeLocally leaky', () =>
        invokeLocally(
          {
            file: path.join(DB_FIXTURES, 'agents', 'leaky_agent.py'),
            messages: [{ role: 'user', content: 'hi' }],
          },
          {
            python: PYTHON,
            harnessScript: HARNESS,
            env: childEnv,
            redactor,
            log,
            signal,
            onEvent: (e) => sink('invoke event', e),
            pythonPath: [SHIM],
          },
        ),
      );
      // PythonResult stays inside the modules (callers redact what they show): only the log lines are sinks.
      await step('runPython', async () => {
        await runPython({
          python: PYTHON,
          script: dieScript,
          env: childEnv,
          onOutput: (line) => log.info(line),
          onMessage: (m) => log.info(JSON.stringify(m)),
        });
      });
      sink('childEnvironment without extra', childEnvironment({ ...process.env, DATABRICKS_TOKEN: TOKEN }));

      // The playground: webview posts and the request/response JSON views, local and endpoint runners.
      for (const [mode, runner] of [
        [
          'local',
          localRunner({
            file: path.join(DB_FIXTURES, 'agents', 'leaky_agent.py'),
            python: PYTHON,
            harnessScript: HARNESS,
            env: childEnv,
            asLabel: 'as carol',
            redactor,
            log,
            pythonPath: [SHIM],
          }),
        ],
        ['endpoint', endpointRunner(s, endpoint, 'as carol')],
      ] as const) {
        const posts: ToWebview[] = [];
        const pg = new PlaygroundController(runner, (m) => posts.push(m), {
          openFrame: (f) => sink('openFrame', f),
          showJson: (title, value) => sink(`playground ${mode} JSON view ${title}`, value),
        });
        await step(`playground ${mode}`, async () => {
          await pg.handle({ type: 'ready' });
          await pg.handle({ type: 'send', text: `say ${mode}` });
          await pg.idle();
          await pg.handle({ type: 'showJson', turn: 0, which: 'request' });
          await pg.handle({ type: 'showJson', turn: 0, which: 'response' });
        });
        sink(`playground ${mode} posts`, posts);
      }
      await step('checkTrust', async () => checkTrust('oboAgents.deployAgent', false));

      // The scan.
      sink('request log', await ctl.requests());
      for (const line of mem.lines) {
        sink('log', line);
      }
      for (const argv of argvs) {
        sink(`argv of ${path.basename(argv[0])}`, argv.join(' '));
      }
      for (const f of [
        ...newFiles(os.tmpdir(), since, [cfgDir]),
        ...newFiles(ROOT, since, [
          path.join(ROOT, 'node_modules'),
          path.join(ROOT, 'out'),
          path.join(ROOT, 'dist'),
          path.join(ROOT, '.git'),
        ]),
      ]) {
        try {
          sinks.push([`file ${f}`, fs.readFileSync(f, 'latin1')]);
        } catch {
          // Removed meanwhile.
        }
      }
      const allBugs = knownBugs();
      const bugs = allBugs.filter((b) => b.scan === 'secrets');
      const leaks = sinks
        .filter(([, text]) => NEEDLES.some((n) => text.includes(n)))
        .map(([where, text]): Failure => {
          const n = NEEDLES.find((x) => text.includes(x)) as string;
          const i = text.indexOf(n);
          const detail = `…${text.slice(Math.max(0, i - 60), i).replace(/\s+/g, ' ')}<SECRET>…`;
          return classify({ kind: 'leak', name: where, detail }, bugs);
        });
      // Reported leaks show as TODO; a listed leak that no longer shows must leave the list.
      for (const id of new Set(leaks.filter((l) => l.known).map((l) => l.known as string))) {
        const list = leaks.filter((l) => l.known === id);
        await t.test(
          `known bug ${id}: ${list.map((l) => l.name).join('; ')}`,
          { todo: bugs.find((b) => b.id === id)?.summary },
          () => {},
        );
      }
      const listed = bugs.filter((b) => b.kind === 'leak' && b.scan === 'secrets').map((b) => b.id);
      const stale = listed.filter((id) => !leaks.some((l) => l.known === id));
      assert.deepEqual(
        stale,
        [],
        'these leaks are fixed: remove them from test/fixtures/fuzz/known-bugs.json',
      );
      // A client secret the SDK reads from a profile must be masked like a token, wherever it turns up.
      const secretMasked = !redactor.redact(`echo ${CLIENT_SECRET}`).includes(CLIENT_SECRET);
      const m2mBug = allBugs.find((b) => b.id === 'm2m-client-secret-not-redacted');
      if (m2mBug) {
        assert.ok(!secretMasked, 'm2m-client-secret-not-redacted is fixed: remove it from known-bugs.json');
        await t.test(`known bug ${m2mBug.id}`, { todo: m2mBug.summary }, () => {});
      } else {
        assert.ok(secretMasked, 'the OAuth client secret of an M2M profile is not known to the redactor');
      }
      // The scan must have had something to find: these paths did print, return or echo the secrets.
      const ok = Object.entries(outcomes)
        .filter(([, v]) => v === 'ok')
        .map(([k]) => k);
      for (const must of [
        'currentUser token',
        'currentUser profile',
        'currentUser m2m',
        'deploy ok',
        'invokeLocally leaky',
        'playground local',
        'playground endpoint',
      ]) {
        assert.ok(
          ok.includes(must),
          `${must} did not run cleanly (${outcomes[must]}): the scan would prove little`,
        );
      }
      assert.ok(
        mem.lines.some((l) => l.includes('***')),
        'masked secrets reached the log: the leaky paths ran',
      );
      assert.ok(argvs.length >= 3, 'Python children were started');
      assert.ok(sinks.length > 100, `${sinks.length} sinks scanned`);
      assert.deepEqual(
        leaks.filter((l) => !l.known).map((l) => `${l.name}: ${l.detail}`),
        [],
        `secrets leaked (${Object.keys(outcomes).length} command paths run)`,
      );
    },
  );
});
