// Restricted Mode: every setting that names an executable, a file to load or a host to send credentials to is a restricted configuration.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { RESTRICTED_SETTINGS } from '../../client/src/databricks/trust';
import { ROOT } from './corpus';
import { knownBugs } from './runner';

interface SettingSchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
}

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported?: boolean | string; restrictedConfigurations?: string[] };
  };
  contributes?: {
    configuration?:
      { properties?: Record<string, SettingSchema> } | { properties?: Record<string, SettingSchema> }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

function settings(): Record<string, SettingSchema> {
  const c = manifest.contributes?.configuration;
  const list = Array.isArray(c) ? c : c ? [c] : [];
  return Object.assign({}, ...list.map((x) => x.properties ?? {})) as Record<string, SettingSchema>;
}

/**
 * A workspace's .vscode/settings.json is attacker-controlled until the workspace is trusted. These names and
 * descriptions mark a setting a workspace could turn into code execution (an interpreter, a script, a config
 * file) or credential theft (a host or URL the user's token is sent to).
 */
const SENSITIVE_KEY =
  /(interpreter|python|executable|command|path|configFile|script|binary|host|url|endpointUrl)$/i;
const SENSITIVE_TEXT =
  /\b(path (of|to)|executable|interpreter|python script|config(uration)? file|workspace url)\b/i;

/** Why a setting is sensitive, or undefined. */
function sensitive(key: string, schema: SettingSchema): string | undefined {
  const text = `${schema.markdownDescription ?? ''} ${schema.description ?? ''}`;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.includes('string')) {
    return undefined;
  }
  const leaf = key.split('.').pop() ?? key;
  if (SENSITIVE_KEY.test(leaf)) {
    return `its name (${leaf})`;
  }
  const m = SENSITIVE_TEXT.exec(text);
  return m ? `its description ("${m[0]}")` : undefined;
}

async function expectUnlessKnown(t: TestContext, id: string, ok: boolean, message: string): Promise<void> {
  const bug = knownBugs().find((b) => b.id === id);
  if (!bug) {
    assert.ok(ok, message);
    return;
  }
  assert.ok(!ok, `${id} is fixed: remove it from test/fixtures/fuzz/known-bugs.json`);
  await t.test(`known bug ${id}: ${message}`, { todo: bug.summary }, () => {});
}

describe('workspace trust', () => {
  const restricted = manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
  const all = settings();

  it('declares limited support in untrusted workspaces', () => {
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.ok(Object.keys(all).length > 10, 'package.json contributes its settings');
  });

  it('restricts every setting that names an executable, a script or a config file', async (t) => {
    const missing = Object.entries(all)
      .map(([key, schema]) => [key, sensitive(key, schema)] as const)
      .filter(([key, why]) => why !== undefined && !restricted.includes(key));
    const hosts = missing.filter(([key]) => /host|url|profile/i.test(key.split('.').pop() ?? ''));
    const others = missing.filter((m) => !hosts.includes(m));
    assert.deepEqual(
      others.map(([key, why]) => `${key} (sensitive by ${why})`),
      [],
      'add these to capabilities.untrustedWorkspaces.restrictedConfigurations',
    );
    // The host and profile settings choose where the user's token goes: a workspace that sets both sends a
    // profile's token to its own host at start-up, before any command.
    await expectUnlessKnown(
      t,
      'host-setting-not-restricted',
      hosts.length === 0,
      `${hosts.map(([k]) => k).join(', ')} not restricted`,
    );
  });

  it('lists only settings that exist, and the client enforces the same list', () => {
    assert.deepEqual(
      restricted.filter((k) => !(k in all)),
      [],
      'restrictedConfigurations names settings package.json does not contribute',
    );
    assert.deepEqual(
      [...RESTRICTED_SETTINGS].sort(),
      [...restricted].sort(),
      'client/src/databricks/trust.ts and package.json disagree',
    );
  });

  it('the sensitivity rule itself recognises what it must', () => {
    // Guards the heuristic: a rename of these keys must not silently drop them from the check above.
    assert.ok(sensitive('x.python.interpreter', { type: 'string' }));
    assert.ok(sensitive('x.databricks.configFile', { type: 'string' }));
    assert.ok(sensitive('x.deploy.logRegisterScript', { type: 'string' }));
    assert.ok(sensitive('x.tool', { type: 'string', description: 'Path to the tool executable.' }));
    assert.ok(sensitive('x.databricks.host', { type: 'string' }));
    assert.equal(
      sensitive('x.deploy.catalog', { type: 'string', description: 'Default catalog.' }),
      undefined,
    );
    assert.equal(sensitive('x.enable', { type: 'boolean' }), undefined);
  });
});
