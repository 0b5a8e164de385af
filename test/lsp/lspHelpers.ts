// Helpers shared by the LSP tests: temporary workspaces from fixtures, applying edits, checking Python still parses.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { loadParser } from '../../server/src/analyser/python/parser';
import { FIXTURES, LspTestClient, uriOf } from './lspTestClient';

/** Copies a fixture folder to a fresh temporary workspace, so tests can change files on disk. */
export function tempWorkspace(fixture?: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obo-lsp-'));
  if (fixture) {
    fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function fixtureText(...parts: string[]): string {
  return fs.readFileSync(path.join(FIXTURES, ...parts), 'utf8');
}

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) {
      return text.length;
    }
    offset = next + 1;
  }
  return Math.min(offset + character, text.length);
}

/** Applies LSP text edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
  );
  let out = text;
  for (const e of sorted) {
    const start = offsetAt(out, e.range.start.line, e.range.start.character);
    const end = offsetAt(out, e.range.end.line, e.range.end.character);
    out = out.slice(0, start) + e.newText + out.slice(end);
  }
  return out;
}

/** The edits of a workspace edit per URI, whichever form (`changes` or `documentChanges`) the server used. */
export function editsByUri(edit: WorkspaceEdit | undefined): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) {
    out.set(uri, [...(out.get(uri) ?? []), ...edits]);
  }
  for (const dc of edit?.documentChanges ?? []) {
    if ('textDocument' in dc) {
      out.set(dc.textDocument.uri, [...(out.get(dc.textDocument.uri) ?? []), ...(dc.edits as TextEdit[])]);
    }
  }
  return out;
}

export function isCodeAction(a: unknown): a is CodeAction {
  return typeof a === 'object' && a !== null && typeof (a as CodeAction).title === 'string' && 'kind' in a;
}

/** True when tree-sitter parses the text without an error or missing node. */
export async function parsesCleanly(text: string): Promise<boolean> {
  const parser = await loadParser();
  const tree = parser.parse(text);
  try {
    return tree !== null && !tree.rootNode.hasError;
  } finally {
    tree?.delete();
  }
}

/** The two-file fixture (agent.py + driver.py) in a temp folder, served, with both files open. */
export async function openTwoFileProject(): Promise<{
  dir: string;
  client: LspTestClient;
  agentText: string;
  driverText: string;
}> {
  const dir = tempWorkspace('two-file');
  const client = await LspTestClient.start({ folder: dir });
  await client.ready();
  const agentText = fixtureText('two-file', 'agent.py');
  const driverText = fixtureText('two-file', 'driver.py');
  await client.open(uriOf(path.join(dir, 'agent.py')), agentText);
  await client.open(uriOf(path.join(dir, 'driver.py')), driverText);
  return { dir, client, agentText, driverText };
}
