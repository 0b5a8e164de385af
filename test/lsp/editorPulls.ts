// Test model of VS Code's document pulls (vscode-languageclient 11 DiagnosticRequestor): what the editor ends up showing.
import {
  CancellationTokenSource,
  type Diagnostic,
  DocumentDiagnosticRequest,
  type DocumentDiagnosticReport,
  LSPErrorCodes,
  ResponseError,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import type { LspTestClient } from './lspTestClient';

type RequestState =
  { state: 'active'; source: CancellationTokenSource } | { state: 'reschedule' } | { state: 'outDated' };

/**
 * Pulls the way VS Code's language client does, because the start-up race lives in how server answers and client
 * bookkeeping meet: one request per document; a second pull while one is in flight cancels it and queues a
 * re-pull ("reschedule"); a report that comes back after its cancellation is thrown away and re-pulled; a
 * `ServerCancelled` answer with `retriggerRequest: false` drops the request *and* the queued re-pull ("outDated");
 * a `workspace/diagnostic/refresh` pulls every visible document. (node_modules/vscode-languageclient/lib/common/
 * diagnostic.js, `DiagnosticRequestor.pullAsync`, and `handleFailedRequest` with `throwOnCancel`.)
 */
export class EditorPulls {
  /** The diagnostics the editor shows per URI: the last full report it accepted. */
  readonly shown = new Map<string, Diagnostic[]>();
  /** The codes of every full report the editor accepted, per URI, in order. */
  readonly accepted = new Map<string, string[][]>();
  /** What happened to each pull, in order, for failure messages. */
  readonly history: string[] = [];
  /** Refreshes received after the server said the index is ready. */
  refreshesAfterReady = 0;
  private readonly resultIds = new Map<string, string | undefined>();
  private readonly requests = new Map<string, RequestState>();
  private readonly visible = new Set<string>();
  private inFlight = 0;
  private failure: unknown;

  constructor(private readonly client: LspTestClient) {
    client.onRefresh = () => {
      this.history.push('refresh');
      if (client.statuses.some((s) => s.state === 'ready')) {
        this.refreshesAfterReady++;
      }
      for (const uri of this.visible) {
        this.pull(uri);
      }
    };
  }

  /** No pull in flight and none queued: what is shown stays until the server asks again. */
  get idle(): boolean {
    if (this.failure !== undefined) {
      throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    }
    return this.inFlight === 0;
  }

  /** Opens a document in a visible editor: the client pulls it right after the didOpen. */
  async open(uri: string, text: string, version = 1): Promise<void> {
    this.visible.add(uri);
    await this.client.open(uri, text, version);
    this.pull(uri);
  }

  /** Types into a document: the client pulls it after the didChange (`diagnosticPullOptions.onChange`). */
  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.client.change(uri, version, changes);
    this.pull(uri);
  }

  codes(uri: string): string[] {
    return (this.shown.get(uri) ?? []).map((d) => String(d.code)).sort();
  }

  pull(uri: string): void {
    this.pullAsync(uri).catch((error: unknown) => {
      this.failure ??= error;
      this.client.notify();
    });
  }

  private async pullAsync(uri: string): Promise<void> {
    const current = this.requests.get(uri);
    if (current !== undefined) {
      if (current.state === 'active') {
        current.source.cancel();
        this.requests.set(uri, { state: 'reschedule' });
      } else if (current.state === 'outDated') {
        this.requests.set(uri, { state: 'reschedule' });
      }
      return;
    }
    const source = new CancellationTokenSource();
    this.requests.set(uri, { state: 'active', source });
    this.inFlight++;
    try {
      let report: DocumentDiagnosticReport | undefined;
      let after: RequestState | undefined;
      try {
        report = await this.client.connection.sendRequest(
          DocumentDiagnosticRequest.type,
          { textDocument: { uri }, previousResultId: this.resultIds.get(uri) },
          source.token,
        );
        if (source.token.isCancellationRequested) {
          // The client throws a CancellationError for an answer to a cancelled request.
          report = undefined;
          after = { state: 'reschedule' };
        }
      } catch (error) {
        if (
          !(error instanceof ResponseError) ||
          (error.code !== LSPErrorCodes.ServerCancelled && error.code !== LSPErrorCodes.RequestCancelled)
        ) {
          this.requests.delete(uri);
          throw error;
        }
        const data = error.data as { retriggerRequest?: unknown } | undefined;
        after = data?.retriggerRequest === false ? { state: 'outDated' } : { state: 'reschedule' };
      }
      after ??= this.requests.get(uri);
      this.requests.delete(uri);
      const name = uri.slice(uri.lastIndexOf('/') + 1);
      if (after?.state === 'outDated') {
        this.history.push(`${name}: dropped (ServerCancelled, retriggerRequest: false)`);
        return;
      }
      if (report?.kind === 'full') {
        this.shown.set(uri, report.items);
        this.accepted.set(uri, [...(this.accepted.get(uri) ?? []), report.items.map((d) => String(d.code))]);
        this.history.push(`${name}: full [${report.items.map((d) => String(d.code)).join(',')}]`);
      } else if (report) {
        this.history.push(`${name}: unchanged`);
      } else {
        this.history.push(`${name}: cancelled, re-pulled`);
      }
      if (report) {
        this.resultIds.set(uri, report.resultId);
      }
      if (after?.state === 'reschedule') {
        this.pull(uri);
      }
    } finally {
      this.inFlight--;
      this.client.notify();
    }
  }
}
