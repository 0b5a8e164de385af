// Starts dist/server.js over IPC with vscode-languageclient, restarts it serially, and forwards its status and requests.
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  AgentReportsRequest,
  type AgentReportsParams,
  type AgentReportsResult,
  ServerInfoRequest,
  type ServerInfoResult,
  StatusNotification,
  type StatusParams,
} from '../../shared/protocol';
import type { Logger } from './logger';
import { initializationOptions, serverConfiguration } from './settings';
import type { LanguageStatusManager } from './status';
import { SERVER_EXEC_ARGV } from '../../shared/launch';

/** Python files (on disk, unsaved, in a virtual workspace) and the Python cells of Jupyter notebooks. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'vscode-vfs', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'python' },
];

/** Crashes tolerated within `CRASH_WINDOW_MS` before the client gives up restarting on its own. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

export class LanguageServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private crashes: number[] = [];
  private readonly listeners: vscode.Disposable[] = [];
  lastStatus: StatusParams | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
    private readonly serverChannel: vscode.LogOutputChannel,
    private readonly traceChannel: vscode.LogOutputChannel,
    private readonly status: LanguageStatusManager,
  ) {}

  get state(): State {
    return this.client?.state ?? State.Stopped;
  }

  /** Starts the server; later calls queue a restart behind any restart in progress (never two at once). */
  start(): Promise<void> {
    return this.enqueue('start', () => this.startNow());
  }

  requestRestart(reason: string): Promise<void> {
    return this.enqueue(`restart (${reason})`, async () => {
      this.logger.info(`Restarting the language server: ${reason}`);
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.enqueue('stop', () => this.stopNow());
  }

  async agentReports(uri?: vscode.Uri): Promise<AgentReportsResult> {
    const client = await this.running();
    const params: AgentReportsParams = uri ? { uri: client.code2ProtocolConverter.asUri(uri) } : {};
    return client.sendRequest<AgentReportsResult>(AgentReportsRequest, params);
  }

  async serverInfo(): Promise<ServerInfoResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest<ServerInfoResult>(ServerInfoRequest);
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(what: string, run: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(run, run).catch((error: unknown) => {
      this.logger.error(`Language server ${what} failed`, error);
      this.status.failed(`The language server could not ${what.split(' ')[0]}: see the logs`);
      void this.offerLogs(`OBO Agents: the language server could not ${what.split(' ')[0]}.`);
    });
    return this.queue;
  }

  private async running(): Promise<LanguageClient> {
    await this.queue;
    if (!this.client || this.client.state !== State.Running) {
      throw new Error('The OBO Agents language server is not running');
    }
    return this.client;
  }

  private async startNow(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.serverChannel,
      traceOutputChannel: this.traceChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      progressOnInitialization: true,
      initializationOptions: initializationOptions(),
      diagnosticPullOptions: { onChange: true, onSave: true },
      // The server reads its settings through workspace/configuration: both middlewares keep the rest of the
      // `oboAgents` section (Databricks host, deploy environment variables) in the editor and out of the LSP trace.
      middleware: {
        workspace: {
          // The server only needs to hear that something changed; it pulls what it reads.
          didChangeConfiguration: (_sections, next) => next(undefined),
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            return Array.isArray(result)
              ? result.map((value: unknown, i) => serverConfiguration(params.items[i]?.section, value))
              : result;
          },
        },
      },
      markdown: { isTrusted: false, supportHtml: false },
      initializationFailedHandler: (error) => {
        this.logger.error('The language server failed to initialize', error);
        this.status.failed('The language server failed to initialize: see the logs');
        void this.offerLogs('OBO Agents: the language server failed to start.');
        return false;
      },
      errorHandler: {
        error: (error, _message, count): ErrorHandlerResult => {
          this.logger.error('Connection to the language server failed', error);
          return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
        },
        closed: (): CloseHandlerResult => this.onClosed(),
      },
    };
    const client = new LanguageClient('oboAgents', 'OBO Agents', serverOptions, clientOptions);
    this.client = client;
    this.listeners.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Starting) {
          this.status.starting();
        } else if (e.newState === State.Stopped) {
          this.status.stopped();
        }
      }),
      client.onNotification(StatusNotification, (status: StatusParams) => {
        this.lastStatus = status;
        this.status.update(status);
      }),
    );
    this.status.starting();
    await client.start();
    this.logger.info('Language server started');
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.listeners.splice(0).forEach((d) => d.dispose());
    if (client && client.state !== State.Stopped) {
      await client
        .stop(5000)
        .catch((error: unknown) => this.logger.warn(`Stopping the language server: ${String(error)}`));
    }
    this.status.stopped();
  }

  /** Restarts after a crash unless it keeps crashing; then says so, with a way to the logs. */
  private onClosed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length <= MAX_CRASHES) {
      this.logger.warn(
        `The language server stopped unexpectedly; restarting (${this.crashes.length}/${MAX_CRASHES}).`,
      );
      return { action: CloseAction.Restart, handled: true };
    }
    this.status.failed(
      'The language server keeps crashing: see the logs, then run "OBO Agents: Restart Server"',
    );
    void this.offerLogs('OBO Agents: the language server crashed repeatedly and was not restarted.');
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private async offerLogs(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Show Logs');
    if (choice === 'Show Logs') {
      this.serverChannel.show(true);
    }
  }
}
