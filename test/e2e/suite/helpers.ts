// Shared helpers of the integration suite: the extension under test, workspace files, and event-driven waits.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXT_ID = 'obo-agents.obo-agents';

/** `dev`: loaded from the development folder; `vsix`: installed from the packaged VSIX (set by run.sh). */
export const MODE: 'dev' | 'vsix' = process.env.OBO_E2E_MODE === 'vsix' ? 'vsix' : 'dev';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the fixture workspace (test/e2e/workspace) open');
  return folder.uri;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is not installed`);
  await ext.activate();
  return ext;
}

export async function openFile(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return c === undefined ? undefined : typeof c === 'object' ? String(c.value) : String(c);
}

export function oboDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'obo');
}

export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (!ds.length) {
    return '(none)';
  }
  return ds
    .map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join('\n  ');
}

/**
 * Resolves with the OBO diagnostics of `uri` once `pred` holds for them, re-checking on every
 * languages.onDidChangeDiagnostics event for that uri; rejects after `timeoutMs` showing what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  pred: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const check = (): boolean => {
      const ds = oboDiagnostics(uri);
      if (pred(ds)) {
        done();
        resolve(ds);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) {
        check();
      }
    });
    const timer = setTimeout(() => {
      done();
      const rel = vscode.workspace.asRelativePath(uri);
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} in ${rel}; it has:\n  ${describeDiagnostics(oboDiagnostics(uri))}`,
        ),
      );
    }, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
    }
    check();
  });
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);

/** The range of the `nth` (0-based) occurrence of `needle` in the document. */
export function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(
      at >= 0,
      `"${needle}" (occurrence ${nth}) not found in ${vscode.workspace.asRelativePath(doc.uri)}`,
    );
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

/** Position just after the `nth` occurrence of `needle`, plus `delta` characters. */
export function positionAfter(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  const r = rangeOf(doc, needle, nth);
  return doc.positionAt(doc.offsetAt(r.end) + delta);
}

export function fmtRange(r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** Applies an edit to the document and saves it, so the language server and the disk agree. */
export async function editAndSave(
  doc: vscode.TextDocument,
  range: vscode.Range,
  text: string,
): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, range, text);
  assert.ok(await vscode.workspace.applyEdit(we), 'workspace edit was not applied');
  await doc.save();
}

/** Waits for a single event (first firing that satisfies `pred`), with a timeout. */
export function nextEvent<T>(
  event: vscode.Event<T>,
  pred: (e: T) => boolean,
  what: string,
  timeoutMs = 20000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (pred(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/** True when run by test/e2e/run.sh, whose runner can act on the workbench for a test (see runner/bridge.ts). */
export const hasUiBridge = (): boolean => !!process.env.OBO_E2E_BRIDGE;

let bridgeSeq = 0;

/**
 * Asks the runner to do something only a person can do in the workbench (e.g. click Cancel on a progress
 * notification) and resolves with its answer, which arrives as a file in OBO_E2E_BRIDGE (watched, not polled).
 */
export function uiAction(
  request: Record<string, unknown>,
  timeoutMs = 40000,
): Promise<{ ok: boolean; text?: string; error?: string }> {
  const dir = process.env.OBO_E2E_BRIDGE;
  assert.ok(dir, 'OBO_E2E_BRIDGE is not set: this test needs test/e2e/run.sh');
  const id = `${process.pid}-${++bridgeSeq}`;
  const file = path.join(dir, `${id}.json`);
  return new Promise((resolve, reject) => {
    const finish = (): boolean => {
      if (!fs.existsSync(file)) {
        return false;
      }
      clearTimeout(timer);
      watcher.close();
      resolve(JSON.parse(fs.readFileSync(file, 'utf8')) as { ok: boolean; text?: string; error?: string });
      return true;
    };
    const watcher = fs.watch(dir, () => void finish());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the runner did not answer ${JSON.stringify(request)} within ${timeoutMs} ms`));
    }, timeoutMs);
    console.log(`OBO-E2E-UI ${JSON.stringify({ id, ...request })}`);
    finish();
  });
}

/** Resolves with the first editor tab whose label matches, now or when tabs change (waits on the event, with a timeout). */
export async function waitForTab(label: RegExp, timeoutMs = 20000): Promise<vscode.Tab> {
  const find = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => label.test(t.label));
  const now = find();
  if (now) {
    return now;
  }
  await nextEvent(
    vscode.window.tabGroups.onDidChangeTabs,
    () => !!find(),
    `a tab labelled ${label}`,
    timeoutMs,
  );
  return find()!;
}
