// Extension logging over a LogOutputChannel: the client log, mirrored to the console on CI.
import * as vscode from 'vscode';

/** What the rest of the extension (Databricks commands included) logs through. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Reveals the log channel. */
  show(): void;
}

const mirror = process.env.CI === 'true';

export class ExtensionLogger implements Logger, vscode.Disposable {
  constructor(readonly channel: vscode.LogOutputChannel) {}

  trace(message: string): void {
    this.channel.trace(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  info(message: string): void {
    this.channel.info(message);
    this.toConsole('info', message);
  }

  warn(message: string): void {
    this.channel.warn(message);
    this.toConsole('warn', message);
  }

  error(message: string, error?: unknown): void {
    const text = error === undefined ? message : `${message}: ${describe(error)}`;
    this.channel.error(text);
    this.toConsole('error', text);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private toConsole(level: 'info' | 'warn' | 'error', message: string): void {
    if (mirror) {
      // CI has no output panel to read: the test runner's console is the only place logs show up.
      // eslint-disable-next-line no-console
      console[level](`[OBO Agents] ${message}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
