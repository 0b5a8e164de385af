// LSP tests: issue 9's eight patterns from real agent code, each as a mistake and its correct variant, through the server.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { fixtureText, removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

/** An expected diagnostic: code, 1-based line, and whether its `data` carries a ready-made fix. */
type Expected = [code: string, line: number, fix: boolean];

/** Per pattern: the findings of the mistake (hints left out: the SDK import's OBO402 is not the point here). */
const PATTERNS: [pattern: string, expected: Expected[]][] = [
  ['p1', [['OBO101', 8, true]]], // built in __init__, kept on self: OBO101 only, no OBO102
  [
    'p2',
    [
      ['OBO403', 2, true], // databricks.sdk.credentials → credentials_provider
      ['OBO101', 8, true], // and the client behind the wrong import is still a user client
    ],
  ],
  ['p3', [['OBO101', 8, true]]], // class Agent(ResponsesAgent["Agent"]) is an agent
  [
    'p4',
    [
      ['OBO401', 10, true], // ChatDatabricks(credentials_strategy=…)
      ['OBO401', 17, true], // UserAuthPolicy(scopes=…)
    ],
  ],
  ['p5', [['OBO202', 15, true]]], // log_model(**kwargs) with python_model=<agent instance>, a policy from a helper
  [
    'p6',
    [
      ['OBO201', 11, true], // at the code too, with the same fix
      ['OBO201', 17, true],
      ['OBO202', 17, true],
    ],
  ],
  [
    'p7',
    [
      ['OBO201', 16, true], // the MCP URL a helper returns is a known Genie path
      ['OBO201', 23, true],
      ['OBO202', 23, true],
    ],
  ],
  ['p8', [['OBO102', 14, false]]], // self._tools["genie"] = tool inside predict
];

const ERROR_OR_WARNING: DiagnosticSeverity[] = [1, 2];

const shown = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`).join('\n');
const fixesOf = (d: Diagnostic) => ((d.data as { fixes?: unknown[] } | undefined)?.fixes ?? []).length;

describe('issue 9 patterns through the language server', () => {
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    dir = tempWorkspace('patterns');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  const pull = async (file: string) => {
    const uri = uriOf(path.join(dir, file));
    await client.open(uri, fixtureText('patterns', file));
    const ds = await client.diagnostics(uri);
    await client.close(uri);
    return ds;
  };

  for (const [pattern, expected] of PATTERNS) {
    it(`${pattern}: the mistake is found where it is, with its fix in data`, async () => {
      const ds = (await pull(`${pattern}_mistake.py`)).filter((d) => d.severity !== 4);
      assert.deepEqual(
        ds.map((d): Expected => [String(d.code), d.range.start.line + 1, fixesOf(d) > 0]),
        expected,
        shown(ds),
      );
      for (const d of ds) {
        assert.equal(d.source, 'obo');
        assert.match(String(d.codeDescription?.href), new RegExp(`docs/rules/${d.code}\\.md$`));
      }
    });

    it(`${pattern}: the correct variant has no error or warning`, async () => {
      const ds = await pull(`${pattern}_correct.py`);
      const loud = ds.filter((d) => ERROR_OR_WARNING.includes(d.severity as DiagnosticSeverity));
      assert.deepEqual(loud, [], shown(loud));
    });
  }
});
