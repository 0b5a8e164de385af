// Extension logging over LogOutputChannels: the client log (mirrored to the console on CI) and a lazily created trace channel.
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

/**
 * A LogOutputChannel created on first write, so the "OBO Agents Trace" channel only appears in the Output
 * dropdown once `oboAgents.trace.server` is turned on.
 */
export class LazyLogOutputChannel implements vscode.LogOutputChannel {
  private channel: vscode.LogOutputChannel | undefined;
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelEmitter.event;

  constructor(readonly name: string) {}

  get logLevel(): vscode.LogLevel {
    return this.channel?.logLevel ?? vscode.LogLevel.Info;
  }

  private get real(): vscode.LogOutputChannel {
    if (!this.channel) {
      this.channel = vscode.window.createOutputChannel(this.name, { log: true });
      this.channel.onDidChangeLogLevel((l) => this.levelEmitter.fire(l));
    }
    return this.channel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.real.trace(message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.real.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.real.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.real.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.real.error(error, ...args);
  }
  append(value: string): void {
    this.real.append(value);
  }
  appendLine(value: string): void {
    this.real.appendLine(value);
  }
  replace(value: string): void {
    this.real.replace(value);
  }
  clear(): void {
    this.channel?.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) {
      this.real.show(columnOrPreserveFocus);
    } else {
      this.real.show(columnOrPreserveFocus, preserveFocus);
    }
  }
  hide(): void {
    this.channel?.hide();
  }
  dispose(): void {
    this.channel?.dispose();
    this.levelEmitter.dispose();
  }
}
