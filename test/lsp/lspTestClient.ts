// Test harness: spawns dist/server.js over stdio and speaks LSP to it, recording every server→client message.
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ClientCapabilities,
  type CodeAction,
  CodeActionRequest,
  type CodeLens,
  CodeLensRequest,
  CompletionRequest,
  type CompletionItem,
  type CompletionList,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  type DocumentDiagnosticReport,
  type FileEvent,
  type Hover,
  HoverRequest,
  InitializeRequest,
  type InitializeResult,
  IPCMessageReader,
  IPCMessageWriter,
  type Position,
  type ProtocolConnection,
  type Range,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  WorkspaceDiagnosticRequest,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { SERVER_EXEC_ARGV } from '../../shared/launch';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'lsp');

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The capabilities VS Code announces for the features the server uses. */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
  notebookDocument: { synchronization: {} },
};

export interface StartOptions {
  /** Workspace folder to index (none: no folder). */
  folder?: string;
  /** The `oboAgents` section answered to `workspace/configuration`. */
  settings?: unknown;
  env?: Record<string, string>;
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
  /** Extra node flags for the server process (`--cpu-prof` when profiling a benchmark). */
  execArgv?: string[];
  /** `ipc` speaks over Node's IPC channel, as the VS Code client does (TransportKind.ipc); default stdio. */
  transport?: 'stdio' | 'ipc';
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

export class LspTestClient {
  readonly logs: { type: number; message: string }[] = [];
  readonly statuses: { state: string; files?: number; agents?: number }[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly progress: unknown[] = [];
  refreshes = 0;
  codeLensRefreshes = 0;
  configurationRequests = 0;
  exitCode: number | null | undefined = undefined;
  stderr = '';
  settings: unknown;
  initializeResult!: InitializeResult;
  /** Called on each `workspace/diagnostic/refresh`, before waiters are checked (an editor model re-pulls here). */
  onRefresh: (() => void) | undefined;
  private readonly waiters: Waiter[] = [];

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: unknown,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    // Started as the VS Code client starts it (same Node flags), plus the caller's.
    const ipc = options.transport === 'ipc';
    const child = spawn(
      process.execPath,
      [...SERVER_EXEC_ARGV, ...(options.execArgv ?? []), SERVER, ipc ? '--node-ipc' : '--stdio'],
      {
        env: { ...process.env, ...options.env },
        stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
      },
    );
    const connection = ipc
      ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createProtocolConnection(
          new StreamMessageReader(child.stdout as NodeJS.ReadableStream),
          new StreamMessageWriter(child.stdin as NodeJS.WritableStream),
        );
    const client = new LspTestClient(child, connection, options.settings ?? {});
    child.stderr?.on('data', (d: Buffer) => (client.stderr += d.toString()));
    child.on('exit', (code) => {
      client.exitCode = code;
      client.notify();
    });
    client.listen();
    const folder = options.folder;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? uriOf(folder) : null,
      workspaceFolders: folder ? [{ uri: uriOf(folder), name: path.basename(folder) }] : null,
      capabilities: options.capabilities ?? VSCODE_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.notify();
    });
    c.onNotification('obo/status', (p: { state: string }) => {
      this.statuses.push(p);
      this.notify();
    });
    c.onNotification('$/progress', (p: unknown) => {
      this.progress.push(p);
      this.notify();
    });
    c.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      this.configurationRequests++;
      return p.items.map(() => this.settings);
    });
    c.onRequest(
      'client/registerCapability',
      (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        this.registrations.push(...p.registrations);
        this.notify();
        return null;
      },
    );
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      this.onRefresh?.();
      this.notify();
      return null;
    });
    c.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      this.notify();
      return null;
    });
    c.listen();
  }

  /** Re-checks the waiters; called on every server message, and by test models whose own state changed. */
  notify(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves when `test` holds after some server message; rejects after `timeoutMs` (a deadline, not a sleep). */
  waitFor(test: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
    if (test()) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(`timed out waiting for ${what}; logs:\n${this.logs.map((l) => l.message).join('\n')}`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for the index to finish (`obo/status` ready); fails at once on an `error` status. */
  async ready(): Promise<void> {
    await this.waitFor(
      () => this.statuses.some((s) => s.state === 'ready' || s.state === 'error'),
      'obo/status ready',
    );
    const error = this.statuses.find((s) => s.state === 'error');
    if (error) {
      throw new Error(`server reported an error: ${JSON.stringify(error)}`);
    }
  }

  /** Waits for the next `workspace/diagnostic/refresh` after the given count. */
  nextRefresh(after: number): Promise<void> {
    return this.waitFor(() => this.refreshes > after, 'workspace/diagnostic/refresh');
  }

  async open(uri: string, text: string, version = 1, languageId = 'python'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async report(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      previousResultId,
    });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.report(uri);
    if (r.kind !== 'full') {
      throw new Error('expected a full report');
    }
    return r.items;
  }

  workspaceDiagnostics(previous: { uri: string; value: string }[] = []): Promise<WorkspaceDiagnosticReport> {
    return this.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: previous });
  }

  codeActions(
    uri: string,
    range: Range,
    diagnostics: Diagnostic[],
    only?: string[],
  ): Promise<(CodeAction | { command: string })[]> {
    return this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    }) as Promise<CodeAction[]>;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = (await this.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    })) as CompletionList | CompletionItem[] | null;
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  }

  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** True while the server process runs and answers a request. */
  async alive(): Promise<boolean> {
    if (this.exitCode !== undefined) {
      return false;
    }
    await this.connection.sendRequest('obo/agentReports', {});
    return this.exitCode === undefined;
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        await this.connection.sendRequest('shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        // Already gone.
      }
      await this.waitFor(() => this.exitCode !== undefined, 'server exit', 5000).catch(() =>
        this.process.kill(),
      );
    }
    this.connection.dispose();
  }
}
