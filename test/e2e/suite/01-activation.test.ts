// The extension loads in a real VS Code extension host, activates, and registers its commands.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, EXT_ID, MODE } from './helpers';
import { COMMANDS, itFeature } from './features';

describe(`activation (${MODE})`, () => {
  it('runs in a real VS Code Node extension host', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.ok(process.versions.node, 'a Node extension host');
    console.log(
      `    VS Code ${vscode.version}, Node ${process.version}, remote ${vscode.env.remoteName ?? '(local)'}`,
    );
  });

  itFeature('client', 'activates without error', async () => {
    const ext = await activateExtension();
    assert.ok(ext.isActive);
  });

  it(
    MODE === 'vsix'
      ? 'is the installed VSIX, not the development folder'
      : 'is loaded from the development folder',
    () => {
      const ext = vscode.extensions.getExtension(EXT_ID);
      assert.ok(ext, `${EXT_ID} present`);
      const repo = process.env.OBO_E2E_REPO;
      if (repo) {
        const fromRepo = path.resolve(ext.extensionPath) === path.resolve(repo);
        assert.strictEqual(fromRepo, MODE === 'dev', `extensionPath ${ext.extensionPath}`);
      }
      if (MODE === 'vsix') {
        assert.ok(!ext.extensionPath.includes(`${path.sep}node_modules${path.sep}`));
        const repoPackage = JSON.parse(fs.readFileSync(path.join(repo ?? '', 'package.json'), 'utf8')) as {
          version: string;
        };
        assert.strictEqual(ext.packageJSON.version, repoPackage.version);
      }
    },
  );

  describe('commands', () => {
    for (const id of COMMANDS) {
      itFeature(
        `command:${id}`,
        `${id} is contributed with the "OBO Agents" category and registered`,
        async () => {
          const ext = await activateExtension();
          const contributed = (ext.packageJSON.contributes?.commands ?? []) as {
            command: string;
            category?: string;
            title: string;
          }[];
          const c = contributed.find((x) => x.command === id);
          assert.ok(c, `${id} missing from contributes.commands`);
          assert.strictEqual(c.category, 'OBO Agents');
          const registered = await vscode.commands.getCommands(true);
          assert.ok(registered.includes(id), `${id} contributed but not registered`);
        },
      );
    }
  });
});
