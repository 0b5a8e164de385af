// LSP tests: documents opened while the server starts and indexes (as after Restart Server) end with cross-file findings.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EditorPulls } from './editorPulls';
import { fixtureText, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

/** Each scenario runs this many times: the race it guards against depended on message timing. */
const RUNS = Number(process.env.OBO_LSP_STARTUP_RUNS ?? 6);

interface Scenario {
  name: string;
  /** Opens (and edits) documents through the editor model, at some point of the server's start-up. */
  act(editor: EditorPulls, client: LspTestClient, uri: (file: string) => string): Promise<void>;
  /** Documents whose shown diagnostics must contain OBO201 in the end. */
  expect: string[];
}

const agentText = fixtureText('two-file', 'agent.py');
const driverText = fixtureText('two-file', 'driver.py');
const endOf = (text: string) => {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
};

const SCENARIOS: Scenario[] = [
  {
    // What the e2e "Restart Server" test does: VS Code re-opens agent.py, then the test types a newline.
    name: 'agent.py re-opened as the server starts, then edited',
    act: async (editor, _client, uri) => {
      await editor.open(uri('agent.py'), agentText);
      const at = endOf(agentText);
      await editor.change(uri('agent.py'), 2, [{ range: { start: at, end: at }, text: '\n' }]);
    },
    expect: ['agent.py'],
  },
  {
    name: 'driver.py then agent.py re-opened as the server starts',
    act: async (editor, _client, uri) => {
      await editor.open(uri('driver.py'), driverText);
      await editor.open(uri('agent.py'), agentText);
    },
    expect: ['agent.py', 'driver.py'],
  },
  {
    name: 'agent.py then driver.py re-opened as the server starts',
    act: async (editor, _client, uri) => {
      await editor.open(uri('agent.py'), agentText);
      await editor.open(uri('driver.py'), driverText);
    },
    expect: ['agent.py', 'driver.py'],
  },
  {
    name: 'agent.py opened while the workspace is being indexed',
    act: async (editor, client, uri) => {
      await client.waitFor(() => client.statuses.some((s) => s.state === 'indexing'), 'indexing to start');
      await editor.open(uri('agent.py'), agentText);
    },
    expect: ['agent.py'],
  },
];

describe('pull diagnostics while the server starts (Restart Server)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the editor ends with the cross-file OBO201 (${RUNS} runs)`, async () => {
      for (let run = 1; run <= RUNS; run++) {
        const dir = tempWorkspace('two-file');
        const client = await LspTestClient.start({ folder: dir });
        try {
          const editor = new EditorPulls(client);
          const uri = (file: string) => uriOf(path.join(dir, file));
          await scenario.act(editor, client, uri);
          // Settled: the index is done, the refresh that follows it has been answered by pulls, none is left.
          await client.ready();
          await client.waitFor(
            () => editor.refreshesAfterReady > 0 && editor.idle,
            'the pulls after the index to settle',
          );
          const pulls = `pulls:\n  ${editor.history.join('\n  ')}`;
          for (const file of scenario.expect) {
            assert.ok(
              editor.codes(uri(file)).includes('OBO201'),
              `run ${run}: ${file} shows [${editor.codes(uri(file)).join(', ')}] without the cross-file OBO201; ${pulls}`,
            );
            // Pulls made before the index finished wait for it (well under its 3 s cap here): no report from a
            // half-built project flashes by without the cross-file finding.
            const early = (editor.accepted.get(uri(file)) ?? []).find((codes) => !codes.includes('OBO201'));
            assert.equal(
              early,
              undefined,
              `run ${run}: ${file} was shown [${early?.join(', ')}] first; ${pulls}`,
            );
          }
        } finally {
          await client.stop();
          removeWorkspace(dir);
        }
      }
    });
  }
});
