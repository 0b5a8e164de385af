// Extension entry point (placeholder until the client lands): activation does nothing yet.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // The language client is wired in the next commit.
}

export function deactivate(): void {
  // Nothing to stop yet.
}
