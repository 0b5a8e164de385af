// The "OBO Agents Trace" channel: the LSP trace, shown whenever `oboAgents.trace.server` is on, whatever the log level.
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../shared/settings';
import { Redactor } from './databricks/redact';

const SETTING = `${SETTINGS_SECTION}.trace.server`;

/**
 * Handed to the LanguageClient as `traceOutputChannel`. vscode-languageclient traces only while that channel's log
 * level is Trace, then writes each message with `.trace()`, which a LogOutputChannel drops below Trace: with one,
 * `oboAgents.trace.server` did nothing until the user also set the channel's level in the Output panel. This one
 * reports Trace exactly while the setting is on (the client then reads the setting for messages or verbose) and
 * writes every line to a plain output channel, created on first use so it only appears once tracing is on.
 */
export class ServerTraceChannel implements vscode.LogOutputChannel {
  private channel: vscode.OutputChannel | undefined;
  private level: vscode.LogLevel;
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelEmitter.event;
  private readonly listener: vscode.Disposable;
  /**
   * No Databricks token travels over LSP, but a verbose trace holds the user's documents, which may hard-code
   * one: token-shaped strings are masked like in the Databricks logs.
   */
  private readonly redactor = new Redactor();

  constructor(readonly name: string) {
    this.level = levelFromSetting();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING)) {
        const level = levelFromSetting();
        if (level !== this.level) {
          this.level = level;
          // The client listens to this to turn its trace on or off without a restart.
          this.levelEmitter.fire(level);
        }
      }
    });
  }

  get logLevel(): vscode.LogLevel {
    return this.level;
  }

  trace(message: string, ...args: unknown[]): void {
    this.write('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.write('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.write('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.write('warning', message, args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.write('error', error instanceof Error ? (error.stack ?? error.message) : error, args);
  }
  append(value: string): void {
    this.real.append(this.redactor.redact(value));
  }
  appendLine(value: string): void {
    this.real.appendLine(this.redactor.redact(value));
  }
  replace(value: string): void {
    this.real.replace(this.redactor.redact(value));
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
    this.listener.dispose();
    this.levelEmitter.dispose();
    this.channel?.dispose();
  }

  private get real(): vscode.OutputChannel {
    // A plain channel on purpose: it shows every line, where a LogOutputChannel would filter by level again.
    this.channel ??= vscode.window.createOutputChannel(this.name);
    return this.channel;
  }

  private write(level: string, message: string, args: unknown[]): void {
    const text = [message, ...args.map((a) => (typeof a === 'string' ? a : safeJson(a)))].join(' ');
    this.real.appendLine(`${timestamp(new Date())} [${level}] ${this.redactor.redact(text)}`);
  }
}

/** Trace while the setting asks for messages or verbose; Off otherwise (the client then sends no trace). */
function levelFromSetting(): vscode.LogLevel {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off');
  return value === 'messages' || value === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Off;
}

/** `2026-11-21 18:48:17.204`, local time, as in the LogOutputChannels next to this one. */
export function timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
