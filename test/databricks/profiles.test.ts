// Profile parsing and connection choice, as the Databricks CLI reads them; then the real SDK on a chosen profile.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  DatabricksSession,
  resolveConnection,
  type ConnectionInputs,
} from '../../client/src/databricks/connection';
import {
  configFilePath,
  envConnection,
  inferAuthType,
  parseDatabricksCfg,
  readProfiles,
} from '../../client/src/databricks/profiles';
import { ALICE_TOKEN, BOB_TOKEN } from '../emulator/emulator';
import { tempDir, useEmulator, writeTemp } from './helpers';

const CFG = [
  '; written by databricks configure',
  'host = https://default.cloud.databricks.com',
  'token = dapi11111111111111111111111111111111',
  '',
  '[dev]',
  'host  =  https://dev.cloud.databricks.com/  # trailing comment',
  'auth_type = databricks-cli',
  '',
  '[m2m]',
  'host = "https://m2m.cloud.databricks.com"',
  'client_id = abc',
  'client_secret = shh-secret',
  '[dev]',
  'cluster_id = 0101-abc',
  'this line is garbage',
  '[azure]\r',
  'host = https://adb-1.azuredatabricks.net\r',
  'azure_client_id = x\r',
].join('\n');

describe('profiles', () => {
  it('parses the CLI INI dialect: implicit DEFAULT, comments, quotes, merged sections, CRLF', () => {
    const { sections, errors } = parseDatabricksCfg(CFG);
    assert.deepEqual([...sections.keys()], ['DEFAULT', 'dev', 'm2m', 'azure']);
    assert.equal(sections.get('DEFAULT')!.host, 'https://default.cloud.databricks.com');
    assert.equal(sections.get('dev')!.host, 'https://dev.cloud.databricks.com/');
    assert.equal(sections.get('dev')!.cluster_id, '0101-abc');
    assert.equal(sections.get('m2m')!.host, 'https://m2m.cloud.databricks.com');
    assert.equal(sections.get('azure')!.azure_client_id, 'x');
    assert.deepEqual(errors, [{ line: 15, text: 'this line is garbage' }]);
  });

  it('infers the auth type like the SDK credential chain', () => {
    assert.equal(inferAuthType({ token: 't' }), 'pat');
    assert.equal(inferAuthType({ client_id: 'a', client_secret: 'b' }), 'oauth-m2m');
    assert.equal(inferAuthType({ host: 'h' }), 'databricks-cli');
    assert.equal(inferAuthType({ host: 'h', token: 't', auth_type: 'databricks-cli' }), 'databricks-cli');
    assert.equal(inferAuthType({ azure_client_id: 'x' }), 'azure');
  });

  it('lists profiles without exposing values', async () => {
    const res = await readProfiles(writeTemp('databrickscfg', CFG));
    assert.deepEqual(
      res.profiles.map((p) => [p.name, p.authType, p.host]),
      [
        ['DEFAULT', 'pat', 'https://default.cloud.databricks.com'],
        ['dev', 'databricks-cli', 'https://dev.cloud.databricks.com/'],
        ['m2m', 'oauth-m2m', 'https://m2m.cloud.databricks.com'],
        ['azure', 'azure', 'https://adb-1.azuredatabricks.net'],
      ],
    );
    assert.ok(!JSON.stringify(res).includes('shh-secret'));
    assert.ok(!JSON.stringify(res).includes('dapi1111'));
  });

  it('treats a missing config file as no profiles, not an error', async () => {
    const res = await readProfiles(path.join(tempDir(), 'nope'));
    assert.equal(res.exists, false);
    assert.deepEqual(res.profiles, []);
  });

  it('finds the config file: setting, then DATABRICKS_CONFIG_FILE, then ~/.databrickscfg', () => {
    const env = { HOME: '/home/u', DATABRICKS_CONFIG_FILE: '/etc/dbcfg' };
    assert.equal(configFilePath('~/my.cfg', env), '/home/u/my.cfg');
    assert.equal(configFilePath('', env), '/etc/dbcfg');
    assert.equal(configFilePath(undefined, { HOME: '/home/u' }), '/home/u/.databrickscfg');
  });

  it('reads connections from DATABRICKS_* variables', () => {
    assert.equal(envConnection({}), undefined);
    assert.deepEqual(envConnection({ DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' }), {
      host: 'h',
      authType: 'pat',
    });
    assert.deepEqual(envConnection({ DATABRICKS_HOST: 'h' }), { host: 'h', authType: 'databricks-cli' });
  });
});

describe('connection choice', () => {
  const profiles = [
    { name: 'DEFAULT', host: 'https://d.example', authType: 'pat', keys: [] },
    { name: 'dev', host: 'https://dev.example', authType: 'pat', keys: [] },
  ];
  const inputs = (over: Partial<ConnectionInputs>): ConnectionInputs => ({
    settings: {},
    env: {},
    configFile: '/cfg',
    profiles,
    tokenFor: async (h) =>
      h === 'https://typed.example' ? 'dapi22222222222222222222222222222222' : undefined,
    ...over,
  });

  const cases: [string, Partial<ConnectionInputs>, string][] = [
    [
      'the profile setting wins over everything',
      {
        settings: { profile: 'dev' },
        chosen: { kind: 'profile', profile: 'DEFAULT' },
        env: { DATABRICKS_HOST: 'x', DATABRICKS_TOKEN: 'y' },
      },
      'profile:dev',
    ],
    [
      'a host setting with a stored token',
      { settings: { host: 'typed.example' } },
      'token:https://typed.example',
    ],
    ['a host setting that matches a profile', { settings: { host: 'https://dev.example/' } }, 'profile:dev'],
    ['the profile chosen in the picker', { chosen: { kind: 'profile', profile: 'dev' } }, 'profile:dev'],
    [
      'a token typed in the picker',
      { chosen: { kind: 'token', host: 'https://typed.example' } },
      'token:https://typed.example',
    ],
    [
      'DATABRICKS_CONFIG_PROFILE',
      { env: { DATABRICKS_CONFIG_PROFILE: 'dev', DATABRICKS_HOST: 'h' } },
      'profile:dev',
    ],
    [
      'DATABRICKS_HOST + TOKEN',
      { env: { DATABRICKS_HOST: 'https://e.example', DATABRICKS_TOKEN: 't' } },
      'env',
    ],
    ['the DEFAULT profile last', {}, 'profile:DEFAULT'],
  ];
  for (const [name, over, want] of cases) {
    it(name, async () => {
      const r = await resolveConnection(inputs(over));
      const spec = r.spec!;
      assert.ok(spec, r.problem);
      const got =
        spec.kind === 'profile'
          ? `profile:${spec.profile}`
          : spec.kind === 'token'
            ? `token:${spec.host}`
            : 'env';
      assert.equal(got, want);
    });
  }

  it('says why when a named profile is missing or nothing is configured', async () => {
    assert.match(
      (await resolveConnection(inputs({ settings: { profile: 'prod' } }))).problem ?? '',
      /Profile "prod" \(setting oboAgents\.databricks\.profile\) is not in \/cfg/,
    );
    assert.match(
      (await resolveConnection(inputs({ profiles: [] }))).problem ?? '',
      /No Databricks profile is configured/,
    );
    assert.match(
      (await resolveConnection(inputs({ chosen: { kind: 'token', host: 'https://gone.example' } })))
        .problem ?? '',
      /stored token for https:\/\/gone\.example is gone/,
    );
  });
});

describe('connection against the emulator', () => {
  const env = useEmulator();
  let cfg: string;
  before(() => {
    cfg = writeTemp(
      'databrickscfg',
      `[alice]\nhost = ${env.url}\ntoken = ${ALICE_TOKEN}\n[bob]\nhost = https://wrong.invalid\ntoken = ${BOB_TOKEN}\n[broken]\nhost = ${env.url}\ntoken = dapi99999999999999999999999999999999\n`,
    );
  });

  it('validates a profile and ignores the editor DATABRICKS_* variables (env: {})', async () => {
    const saved = { ...process.env };
    process.env.DATABRICKS_HOST = 'http://127.0.0.1:1';
    process.env.DATABRICKS_TOKEN = 'dapi33333333333333333333333333333333';
    try {
      const me = await new DatabricksSession({
        kind: 'profile',
        profile: 'alice',
        configFile: cfg,
      }).currentUser();
      assert.equal(me.userName, 'alice@example.com');
      assert.equal(me.host, env.url);
      assert.equal(me.workspaceId, '1234567890123456');
    } finally {
      process.env = saved;
    }
  });

  it('lets the host setting override the profile host', async () => {
    const me = await new DatabricksSession({
      kind: 'profile',
      profile: 'bob',
      configFile: cfg,
      host: env.url,
    }).currentUser();
    assert.equal(me.userName, 'bob@example.com');
  });

  it('uses DATABRICKS_* variables when that is the choice', async () => {
    const me = await new DatabricksSession({
      kind: 'env',
      env: { DATABRICKS_HOST: env.url, DATABRICKS_TOKEN: BOB_TOKEN },
    }).currentUser();
    assert.equal(me.userName, 'bob@example.com');
  });

  it('explains a rejected token without a stack trace', async () => {
    const e = await new DatabricksSession({ kind: 'profile', profile: 'broken', configFile: cfg })
      .currentUser()
      .catch((x: Error) => x);
    assert.ok(e instanceof Error);
    assert.match(
      e.message,
      /^Checking the Databricks connection \(profile broken\) failed: Databricks rejected the token as invalid or expired \(403: Invalid access token\)\. You are not connected\. Run "OBO Agents: Select Databricks Profile"/,
    );
    assert.doesNotMatch(e.message, /dapi9999/);
  });

  it('explains the structured 401 the same way', async () => {
    await env.ctl.seed({ options: { authStyle: 'structured' } });
    try {
      const e = await new DatabricksSession({
        kind: 'token',
        host: env.url,
        token: 'dapi99999999999999999999999999999999',
      })
        .currentUser()
        .catch((x: Error) => x);
      assert.match((e as Error).message, /invalid or expired \(401: Invalid access token\)/);
    } finally {
      await env.ctl.seed({ options: { authStyle: 'plain' } });
    }
  });

  it('explains a missing profile and an unreachable host', async () => {
    const missing = await new DatabricksSession({ kind: 'profile', profile: 'nope', configFile: cfg })
      .currentUser()
      .catch((x: Error) => x);
    assert.match((missing as Error).message, /not configured \(resolve: .* has no nope profile configured\)/);
    const down = await new DatabricksSession({
      kind: 'token',
      host: 'http://127.0.0.1:1',
      token: ALICE_TOKEN,
    })
      .currentUser()
      .catch((x: Error) => x);
    assert.match(
      (down as Error).message,
      /could not reach the workspace \(ECONNREFUSED\)\. You are not connected\. Check the host/,
    );
  });

  it('signs in a service principal with OAuth M2M, and hands Python the token the SDK obtained', async () => {
    const SP_TOKEN = 'dapi' + '5'.repeat(32);
    await env.ctl.seed({
      principals: [
        {
          token: SP_TOKEN,
          userName: 'sp-agents',
          clientId: 'sp-id',
          clientSecret: 'sp-secret',
          grants: ['*'],
        },
      ],
    });
    const m2m = writeTemp(
      'databrickscfg',
      `[sp]\nhost = ${env.url}\nclient_id = sp-id\nclient_secret = sp-secret\n`,
    );
    const s = new DatabricksSession({ kind: 'profile', profile: 'sp', configFile: m2m });
    assert.equal((await s.currentUser()).userName, 'sp-agents');
    assert.equal((await s.childEnv()).DATABRICKS_TOKEN, SP_TOKEN);
    assert.equal(s.redactor.redact(`t=${SP_TOKEN}`), 't=***');
    const bad = writeTemp(
      'databrickscfg',
      `[sp]\nhost = ${env.url}\nclient_id = sp-id\nclient_secret = wrong\n`,
    );
    const e = await new DatabricksSession({ kind: 'profile', profile: 'sp', configFile: bad })
      .currentUser()
      .catch((x: Error) => x);
    assert.match(
      (e as Error).message,
      /^Checking the Databricks connection \(profile sp\) failed: .*You are not connected\./,
    );
  });

  it('hands Python the bearer token through the environment only, and learns it for redaction', async () => {
    const s = new DatabricksSession({ kind: 'profile', profile: 'alice', configFile: cfg });
    const childEnv = await s.childEnv();
    assert.deepEqual(childEnv, {
      DATABRICKS_HOST: env.url,
      DATABRICKS_TOKEN: ALICE_TOKEN,
      DATABRICKS_AUTH_TYPE: 'pat',
    });
    assert.equal(s.redactor.redact(`token=${ALICE_TOKEN}`).includes(ALICE_TOKEN), false);
  });
});
