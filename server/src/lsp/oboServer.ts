// Wires the OBO language server: pull diagnostics, actions, hover, completion, lenses, settings and the index (sync in documentSync).
import * as path from 'node:path';
import { mergeExtras } from '../catalog/extend';
import { readPyproject } from '../catalog/projectConfig';
import {
  CodeLensRefreshRequest,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  type DiagnosticServerCancellationData,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  type InitializeParams,
  type InitializeResult,
  WatchKind,
} from 'vscode-languageserver/node';
import { AgentReportsProvider } from './agentReportsProvider';
import { type ClientFeatures, readFeatures, serverCapabilities } from './capabilities';
import { CodeActionProvider } from './codeActionProvider';
import { CodeLensProvider } from './codeLensProvider';
import { CompletionProvider } from './completionProvider';
import { DiagnosticConverter } from './diagnosticConverter';
import { DiagnosticsProvider } from './diagnosticsProvider';
import { DocumentResolver, type DocTarget } from './documentResolver';
import { registerDocumentSync } from './documentSync';
import { TextDocumentStore } from './documentStore';
import { guardNotification, guardRequest } from './handlerGuard';
import type { FeatureDeps } from './featureTarget';
import { HoverProvider } from './hoverProvider';
import { IndexService, NO_PROGRESS } from './indexService';
import { NotebookStore } from './notebookStore';
import { ProjectHost } from './projectHost';
import {
  AgentReportsRequest,
  type InitializationOptions,
  ServerInfoRequest,
  type ServerInfoResult,
  StatusNotification,
  type StatusParams,
} from '../../../shared/protocol';
import { RefreshScheduler } from './refreshScheduler';
import { ServerLogger } from './serverLogger';
import { DEFAULT_SETTINGS, normalizeSettings, SETTINGS_SECTION } from '../../../shared/settings';
import { SettingsCache } from './settingsCache';
import { schemeOf, uriToPath } from './uriPaths';
import { WorkspaceFolders } from './workspaceFolders';
import { isSourceFile } from './workspaceIndexer';

/** How long a diagnostics request waits for the index before answering with what is known. */
const INDEX_WAIT_MS = 3000;
const DEFAULT_TIME_BUDGET_MS = 2000;
const SERVER_VERSION = '0.1.0';

export class OboServer {
  private readonly logger: ServerLogger;
  private readonly texts = new TextDocumentStore();
  private readonly notebooks = new NotebookStore();
  private readonly resolver = new DocumentResolver(this.texts, this.notebooks);
  private readonly folders = new WorkspaceFolders();
  private features: ClientFeatures = readFeatures(undefined);
  private host!: ProjectHost;
  private settings!: SettingsCache;
  private diagnostics!: DiagnosticsProvider;
  private codeActions!: CodeActionProvider;
  private hover!: HoverProvider;
  private completion!: CompletionProvider;
  private codeLens!: CodeLensProvider;
  private agentReports!: AgentReportsProvider;
  private index!: IndexService;
  private refresh!: RefreshScheduler;
  private loaded: Promise<boolean> = Promise.resolve(false);
  private folderSettingsKey: string | undefined;
  private indexedOnce = false;
  /**
   * Settles once `initialized` has run the first index (or found nothing to index), or INDEX_WAIT_MS after
   * `initialize` (a client that never answers our registrations must not make every pull wait). Until then
   * `index.indexing` is still false, yet a pull answered then sees only the open documents: agent.py without the
   * driver.py that logs it, so without its cross-file findings.
   */
  private readonly startup: Promise<void>;
  private started = false;
  private markStarted!: () => void;

  constructor(private readonly connection: Connection) {
    this.logger = new ServerLogger(connection.console);
    this.startup = new Promise<void>((resolve) => {
      this.markStarted = () => {
        this.started = true;
        resolve();
      };
    });
    this.register();
  }

  get log(): ServerLogger {
    return this.logger;
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.features = readFeatures(params.capabilities);
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const budget = Number(options.timeBudgetMs ?? process.env.OBO_TIME_BUDGET_MS);
    const timeBudgetMs = Number.isFinite(budget) && budget > 0 ? budget : DEFAULT_TIME_BUDGET_MS;
    this.folders.setFrom(params);
    setTimeout(() => this.markStarted(), INDEX_WAIT_MS).unref?.();

    const fallback = options.settings === undefined ? DEFAULT_SETTINGS : normalizeSettings(options.settings);
    const fetch = this.features.configuration
      ? (scopeUri: string | undefined) =>
          this.connection.workspace.getConfiguration({
            scopeUri,
            section: SETTINGS_SECTION,
          }) as Promise<unknown>
      : undefined;
    this.settings = new SettingsCache(fetch, this.logger, fallback);
    this.host = new ProjectHost(this.texts, this.notebooks, this.logger, timeBudgetMs);
    const sync = () => this.syncNow();
    const converter = new DiagnosticConverter(this.resolver, this.features);
    const deps: FeatureDeps = { host: this.host, resolver: this.resolver, settings: this.settings, sync };
    this.diagnostics = new DiagnosticsProvider({ ...deps, converter, folders: this.folders });
    this.codeActions = new CodeActionProvider({
      ...deps,
      features: this.features,
      logger: this.logger,
      current: (target) => this.diagnostics.compute(target),
    });
    this.hover = new HoverProvider(deps, this.features.markdownHover);
    this.completion = new CompletionProvider(deps, this.features.snippets);
    this.codeLens = new CodeLensProvider(deps);
    this.agentReports = new AgentReportsProvider(this.host, this.resolver, sync);
    this.refresh = new RefreshScheduler(
      (paths) => this.dependentsChanged(paths),
      () => this.sendRefresh(),
      this.logger,
    );
    this.index = new IndexService({
      host: this.host,
      logger: this.logger,
      createProgress: () =>
        this.features.workDoneProgress
          ? this.connection.window.createWorkDoneProgress()
          : Promise.resolve(NO_PROGRESS),
      sendStatus: (status) => this.sendStatus(status),
    });
    this.loaded = this.host.start().then(
      () => true,
      (error: unknown) => {
        this.logger.error('The OBO analyser failed to load; no diagnostics will be shown', error);
        this.sendStatus({ state: 'error', message: `The analyser failed to load: ${String(error)}` });
        return false;
      },
    );
    return {
      capabilities: serverCapabilities(this.features),
      serverInfo: { name: 'OBO Agents language server', version: SERVER_VERSION },
    };
  }

  private async initialized(): Promise<void> {
    try {
      await this.startUp();
    } finally {
      this.markStarted();
    }
  }

  private async startUp(): Promise<void> {
    if (this.features.configurationDynamic) {
      await this.connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((e: unknown) =>
          this.logger.warn(`Could not register for configuration changes: ${String(e)}`),
        );
    }
    if (this.features.watchedFilesDynamic) {
      this.host.cacheMisses = true;
      await this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.{py,ipynb}' },
            { globPattern: '**/pyproject.toml' },
            // Folder deletions and renames arrive as a delete of the folder itself.
            { globPattern: '**/*', kind: WatchKind.Delete },
          ],
        })
        .catch((e: unknown) => this.logger.warn(`Could not register file watchers: ${String(e)}`));
    }
    if (this.features.workspaceFolders) {
      try {
        this.connection.workspace.onDidChangeWorkspaceFolders(
          guardNotification(this.logger, 'workspace/didChangeWorkspaceFolders', (e) => {
            this.folders.add(e.added, e.removed);
            this.folderSettingsKey = undefined;
            return this.reindexIfNeeded();
          }),
        );
      } catch (error) {
        this.logger.warn(`Workspace folder changes are not followed: ${String(error)}`);
      }
    }
    if (await this.loaded) {
      await this.reindexIfNeeded();
    }
  }

  /** Re-reads the folders' settings and re-indexes when what decides the index (enable, exclude, catalog) changed. */
  private async reindexIfNeeded(): Promise<void> {
    const folders = this.folders.all();
    const resolved = await Promise.all(
      (folders.length > 0 ? folders : [undefined]).map(async (f) => ({
        folder: f,
        settings: await this.settings.get(f?.uri),
      })),
    );
    this.logger.setVerbose(resolved.some((r) => r.settings.trace.server === 'verbose'));
    // `[tool.obo]` of each folder's pyproject.toml first, then the settings (which may add to its lists).
    const fromProjects = resolved
      .filter((r) => r.folder && r.settings.enable)
      .map((r) => this.pyprojectExtra((r.folder as { path: string }).path));
    const extra = mergeExtras([...fromProjects, ...resolved.map((r) => r.settings.catalog.extra)]);
    const indexed = resolved
      .filter((r) => r.folder && r.settings.enable)
      .map((r) => ({ path: (r.folder as { path: string }).path, exclude: r.settings.exclude }));
    const key = JSON.stringify({ extra, indexed });
    if (key === this.folderSettingsKey) {
      return;
    }
    const first = !this.indexedOnce;
    this.indexedOnce = true;
    this.folderSettingsKey = key;
    await this.index.run(indexed, async () => {
      // A re-index starts from scratch: files of removed folders or newly excluded ones must go.
      if (!first) {
        this.host.resetIndex();
      }
      await this.host.setCatalogExtra(extra);
    });
    this.refresh.refreshAll();
  }

  private register(): void {
    const c = this.connection;
    const log = this.logger;
    c.onInitialize((params) => {
      try {
        return this.initialize(params);
      } catch (error) {
        log.error('initialize failed', error);
        return { capabilities: serverCapabilities(this.features) };
      }
    });
    c.onInitialized(guardNotification(log, 'initialized', () => this.initialized()));
    c.onShutdown(() => this.refresh?.dispose());

    registerDocumentSync(c, log, {
      texts: this.texts,
      notebooks: this.notebooks,
      schedule: (paths) => this.refresh?.schedule(paths),
      opened: (uri) => this.settings?.delete(uri),
      forget: (uri) => {
        this.diagnostics?.forget(uri);
        this.settings?.delete(uri);
      },
      closed: (p) => (this.host?.ready ? this.host.closed(p) : undefined),
    });

    c.onDidChangeConfiguration(
      guardNotification(log, 'workspace/didChangeConfiguration', async () => {
        if (!this.settings) {
          return;
        }
        this.settings.clear();
        if (await this.loaded) {
          await this.reindexIfNeeded();
        }
        this.refresh.refreshAll();
      }),
    );
    c.onDidChangeWatchedFiles(
      guardNotification(log, 'workspace/didChangeWatchedFiles', (p) => this.watchedFiles(p)),
    );

    const empty = (): DocumentDiagnosticReport => ({ kind: DocumentDiagnosticReportKind.Full, items: [] });
    c.languages.diagnostics.on(
      guardRequest(
        log,
        'textDocument/diagnostic',
        empty(),
        async (
          p,
          token,
        ): Promise<DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> => {
          if (!(await this.loaded)) {
            return empty();
          }
          await this.indexSettled();
          if (token?.isCancellationRequested) {
            // The client cancels a pull in flight whenever it pulls the same document again (a keystroke, a
            // workspace/diagnostic/refresh) and queues that pull behind it: skip this analysis, but let it retrigger.
            // With `retriggerRequest: false` vscode-languageclient drops the queued pull too, and the document keeps
            // whatever it showed before (at start-up: no cross-file findings) until something else pulls it.
            return new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded', {
              retriggerRequest: true,
            });
          }
          return this.diagnostics.document(p.textDocument?.uri, p.previousResultId);
        },
      ),
    );
    c.languages.diagnostics.onWorkspace(
      guardRequest(log, 'workspace/diagnostic', { items: [] }, async (p) => {
        if (!(await this.loaded)) {
          return { items: [] };
        }
        await this.indexSettled();
        await this.index.done;
        return this.diagnostics.workspace(Array.isArray(p?.previousResultIds) ? p.previousResultIds : []);
      }),
    );
    c.onCodeAction(
      guardRequest(log, 'textDocument/codeAction', [], async (p) =>
        (await this.loaded) ? this.codeActions.provide(p) : [],
      ),
    );
    c.onHover(
      guardRequest(log, 'textDocument/hover', null, async (p) =>
        (await this.loaded) ? this.hover.provide(p) : null,
      ),
    );
    c.onCompletion(
      guardRequest(log, 'textDocument/completion', null, async (p) =>
        (await this.loaded) ? this.completion.provide(p) : null,
      ),
    );
    c.onCodeLens(
      guardRequest(log, 'textDocument/codeLens', [], async (p) =>
        (await this.loaded) ? this.codeLens.provide(p) : [],
      ),
    );
    c.onRequest(
      AgentReportsRequest,
      guardRequest(log, AgentReportsRequest, { reports: [], findings: [] }, async (p: unknown) => {
        if (!(await this.loaded)) {
          return { reports: [], findings: [] };
        }
        await this.indexSettled();
        await this.index.done;
        return this.agentReports.provide(p as { uri?: string } | undefined);
      }),
    );
    c.onRequest(
      ServerInfoRequest,
      guardRequest(log, ServerInfoRequest, undefined, () => this.serverInfo()),
    );
  }

  private serverInfo(): ServerInfoResult {
    const loaded = this.host?.ready === true;
    return {
      version: SERVER_VERSION,
      timeBudgetMs: this.host?.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
      workspaceFolders: this.folders.all().map((f) => f.path),
      indexedFiles: this.host?.indexed.size ?? 0,
      openDocuments: [...this.texts.all()].length,
      openNotebooks: [...this.notebooks.all()].length,
      agents: loaded ? this.host.project.agentReports().length : 0,
      lastIndex: this.index?.lastResult,
      catalogExtra: Object.keys(this.host?.catalogExtra ?? {}),
      memory: { rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed },
    };
  }

  /** Gives pending edits to the analyser and schedules a check of the files they may affect. */
  private syncNow(): void {
    if (!this.host?.ready) {
      return;
    }
    const r = this.host.sync();
    if (r.affected.size > 0) {
      this.refresh.schedule(r.affected);
    }
  }

  /** The scheduler's check: after syncing, has any open or reported file among `paths` new diagnostics? */
  private async dependentsChanged(paths: ReadonlySet<string>): Promise<boolean> {
    if (!(await this.loaded)) {
      return false;
    }
    const r = this.host.sync();
    const all = new Set([...paths, ...r.changed, ...r.affected]);
    const changed = await this.diagnostics.changedAmong(all, (p) => this.openTargets(p));
    if (changed) {
      this.logger.debug(
        `Dependents changed among ${[...all].map((p) => path.basename(p)).join(', ')}; refreshing`,
      );
    }
    return changed;
  }

  private openTargets(filePath: string): DocTarget[] {
    const out: DocTarget[] = [];
    const text = this.texts.getByPath(filePath);
    if (text) {
      const t = this.resolver.resolve(text.uri);
      if (t) {
        out.push(t);
      }
    }
    const notebook = this.notebooks.getByPath(filePath);
    for (const cell of notebook?.cells ?? []) {
      const t = cell.kind === 'code' ? this.resolver.resolve(cell.uri) : undefined;
      if (t) {
        out.push(t);
      }
    }
    return out;
  }

  /** `[tool.obo]` of `<folder>/pyproject.toml`, or nothing; problems are logged once, never thrown. */
  private pyprojectExtra(folder: string): Record<string, unknown> {
    const config = readPyproject(folder);
    for (const problem of config.problems) {
      this.logger.once(`pyproject:${config.file}:${problem}`, 'warn', `${config.file}: ${problem}`);
    }
    return config.section ?? {};
  }

  private async watchedFiles(params: DidChangeWatchedFilesParams): Promise<void> {
    if (!(await this.loaded)) {
      return;
    }
    await this.index.done;
    if (
      (params?.changes ?? []).some((c) => typeof c?.uri === 'string' && c.uri.endsWith('/pyproject.toml'))
    ) {
      await this.reindexIfNeeded();
    }
    const changes: { path: string; deleted: boolean }[] = [];
    for (const change of Array.isArray(params?.changes) ? params.changes : []) {
      if (typeof change?.uri !== 'string' || schemeOf(change.uri) !== 'file') {
        continue;
      }
      const filePath = uriToPath(change.uri);
      if (change.type === FileChangeType.Deleted) {
        changes.push({ path: filePath, deleted: true });
      } else if (isSourceFile(filePath)) {
        const settings = await this.settings.get(this.folders.folderOf(filePath)?.uri);
        if (settings.enable && !this.folders.isExcluded(filePath, settings.exclude)) {
          changes.push({ path: filePath, deleted: false });
        }
      }
    }
    const touched = this.host.applyDiskChanges(changes);
    if (touched.size > 0) {
      this.refresh.schedule(touched);
    }
  }

  /**
   * Waits (at most INDEX_WAIT_MS) until the first index has run and no re-index is under way, so a pull is not
   * answered from a project that lacks the files linked to the document.
   */
  private async indexSettled(): Promise<void> {
    if (this.started && !this.index.indexing) {
      return;
    }
    const settled = (async () => {
      await this.startup;
      // A re-index may start while waiting for another (settings changed again): wait for the latest.
      while (this.index.indexing) {
        await this.index.done.catch(() => undefined);
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      settled,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, INDEX_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private sendRefresh(): void {
    if (this.features.diagnosticRefresh) {
      this.connection.languages.diagnostics
        .refresh()
        .catch((e: unknown) => this.logger.debug(`workspace/diagnostic/refresh failed: ${String(e)}`));
    }
    if (this.features.codeLensRefresh) {
      this.connection
        .sendRequest(CodeLensRefreshRequest.type)
        .catch((e: unknown) => this.logger.debug(`workspace/codeLens/refresh failed: ${String(e)}`));
    }
  }

  private sendStatus(status: StatusParams): void {
    this.connection.sendNotification(StatusNotification, status).catch(() => undefined);
  }
}
