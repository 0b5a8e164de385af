// The untrusted-workspace gate: commands that run workspace code refuse, the others run; restricted settings declared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkTrust,
  COMMANDS_RUNNING_WORKSPACE_CODE,
  RESTRICTED_SETTINGS,
} from '../../client/src/databricks/trust';
import { ROOT } from './helpers';

describe('workspace trust', () => {
  it('refuses local test-invoke and deploy in an untrusted workspace, saying why and how to trust', () => {
    for (const cmd of ['oboAgents.testInvokeLocally', 'oboAgents.deployAgent']) {
      const d = checkTrust(cmd, false);
      assert.equal(d.allowed, false);
      assert.ok(!d.allowed && /not trusted, so nothing was run/.test(d.message));
      assert.ok(!d.allowed && /Manage Workspace Trust/.test(d.message));
    }
  });

  it('allows everything in a trusted workspace and read-only commands anywhere', () => {
    for (const cmd of Object.keys(COMMANDS_RUNNING_WORKSPACE_CODE)) {
      assert.equal(checkTrust(cmd, true).allowed, true);
    }
    for (const cmd of [
      'oboAgents.queryEndpoint',
      'oboAgents.showDeploymentPlan',
      'oboAgents.selectProfile',
      'oboAgents.deployments.refresh',
    ]) {
      assert.equal(checkTrust(cmd, false).allowed, true, cmd);
    }
  });

  it('declares settings that name executables or files as restricted in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
      contributes?: {
        configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
      };
    };
    const restricted = pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
    for (const s of RESTRICTED_SETTINGS) {
      assert.ok(restricted.includes(s), `${s} is not restricted`);
    }
  });
});
