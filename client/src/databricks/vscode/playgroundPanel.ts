// The Agent Playground webview panel: bridges the webview and the PlaygroundController; one panel per target.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Frame } from '../agentEvents';
import { PlaygroundController, type FromWebview, type PlaygroundRunner } from '../playgroundController';
import type { Redactor } from '../redact';
import { playgroundHtml } from './playgroundHtml';
import { showText } from './ui';

export interface PanelDeps {
  redactor: Redactor;
  /** Local mode only: choose a profile to run the agent as. */
  pickRunAs?(): Promise<PlaygroundRunner | undefined>;
}

const panels = new Map<string, PlaygroundPanel>();

export class PlaygroundPanel {
  readonly controller: PlaygroundController;

  private constructor(
    private readonly key: string,
    readonly panel: vscode.WebviewPanel,
    runner: PlaygroundRunner,
    deps: PanelDeps,
  ) {
    const webview = panel.webview;
    webview.html = playgroundHtml(randomBytes(16).toString('base64'), webview.cspSource);
    this.controller = new PlaygroundController(
      runner,
      // The webview sees nothing the log could not: every message is masked.
      (m) => void webview.postMessage(deps.redactor.redactValue(m)),
      {
        openFrame: (f: Frame) => void openFrame(f),
        showJson: (_title, value) =>
          void showText(JSON.stringify(deps.redactor.redactValue(value ?? null), null, 2), 'json'),
        pickRunAs: deps.pickRunAs,
      },
    );
    webview.onDidReceiveMessage((m: FromWebview) => void this.controller.handle(m));
    panel.onDidDispose(() => {
      this.controller.dispose();
      panels.delete(this.key);
    });
  }

  /** Opens (or reveals) the playground for `key`: `local:<file>` or `endpoint:<name>`. */
  static open(key: string, runner: PlaygroundRunner, deps: PanelDeps): PlaygroundPanel {
    const existing = panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      'oboAgents.playground',
      runner.title,
      vscode.ViewColumn.Beside,
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [],
      },
    );
    const p = new PlaygroundPanel(key, panel, runner, deps);
    panels.set(key, p);
    return p;
  }

  static disposeAll(): void {
    for (const p of [...panels.values()]) {
      p.panel.dispose();
    }
  }
}

async function openFrame(f: Frame): Promise<void> {
  const line = Math.max(0, f.line - 1);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(f.file));
  await vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(line, 0, line, 0),
    viewColumn: vscode.ViewColumn.One,
  });
}
