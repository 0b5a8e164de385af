// Runs the workspace index (list, prefilter, analyse) with work-done progress and `obo/status` notifications.
import type { ServerLogger } from './serverLogger';
import type { ProjectHost } from './projectHost';
import type { StatusParams } from '../../../shared/protocol';
import { type IndexFolder, indexSources, listSources } from './workspaceIndexer';

/** The slice of a work-done progress reporter the index uses (a no-op one when the client has none). */
export interface ProgressReporter {
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
  report(percentage: number, message?: string): void;
  done(): void;
}

export interface IndexDeps {
  host: ProjectHost;
  logger: ServerLogger;
  createProgress: () => Promise<ProgressReporter>;
  sendStatus: (status: StatusParams) => void;
}

export interface IndexResult {
  files: number;
  matched: number;
  agents: number;
  ms: number;
}

export class IndexService {
  private generation = 0;
  private current: Promise<IndexResult | undefined> = Promise.resolve(undefined);
  private running = false;
  lastResult: IndexResult | undefined;

  constructor(private readonly deps: IndexDeps) {}

  /** Resolves when the latest index run has finished (or was superseded). */
  get done(): Promise<unknown> {
    return this.current;
  }

  /**
   * True from `run()` until the latest run ends, including its wait for the previous run, `prepare` (which may
   * empty the index) and the progress round trip: a pull answered in those gaps would see a half-built project.
   */
  get indexing(): boolean {
    return this.running;
  }

  /** Starts a fresh index of the folders, cancelling a run in progress. */
  run(folders: readonly IndexFolder[], prepare?: () => Promise<void>): Promise<IndexResult | undefined> {
    const generation = ++this.generation;
    const previous = this.current;
    this.running = true;
    this.current = (async () => {
      try {
        await previous.catch(() => undefined);
        if (generation !== this.generation) {
          return undefined;
        }
        await prepare?.();
        return await this.index(folders, generation);
      } finally {
        if (generation === this.generation) {
          this.running = false;
        }
      }
    })();
    return this.current;
  }

  private async index(folders: readonly IndexFolder[], generation: number): Promise<IndexResult | undefined> {
    const t0 = performance.now();
    const cancelled = () => generation !== this.generation;
    const progress = endsOnce(await this.deps.createProgress().catch(() => noProgress));
    try {
      progress.begin('OBO Agents: indexing', 0, 'listing files');
      this.deps.sendStatus({ state: 'indexing', message: 'Listing files', files: 0 });
      const files = await listSources(folders, cancelled);
      let lastReport = 0;
      const matched = await indexSources(files, {
        matters: (text) => this.deps.host.matters(text),
        onFile: (file, text) => this.deps.host.setFromDisk(file, text),
        isCancelled: cancelled,
        onProgress: (p) => {
          const pct = p.total === 0 ? 100 : Math.floor((p.scanned / p.total) * 100);
          if (pct !== lastReport) {
            lastReport = pct;
            progress.report(pct, `${p.scanned}/${p.total} files`);
            this.deps.sendStatus({ state: 'indexing', files: p.scanned });
          }
        },
      });
      if (cancelled()) {
        return undefined;
      }
      const agents = this.deps.host.ready ? this.deps.host.project.agentReports().length : 0;
      const result = { files: files.length, matched, agents, ms: Math.round(performance.now() - t0) };
      this.lastResult = result;
      this.deps.logger.info(
        `Indexed ${result.files} Python files and notebooks in ${result.ms} ms: ${matched} analysed, ${agents} agent(s).`,
      );
      // Progress ends before "ready" so a client seeing ready sees no progress left behind.
      progress.done();
      this.deps.sendStatus({ state: 'ready', files: result.files, agents });
      return result;
    } catch (error) {
      this.deps.logger.error('Indexing the workspace failed', error);
      this.deps.sendStatus({ state: 'error', message: `Indexing failed: ${String(error)}` });
      return undefined;
    } finally {
      progress.done();
    }
  }
}

function endsOnce(reporter: ProgressReporter): ProgressReporter {
  let ended = false;
  return {
    begin: (...args) => reporter.begin(...args),
    report: (...args) => reporter.report(...args),
    done: () => {
      if (!ended) {
        ended = true;
        reporter.done();
      }
    },
  };
}

const noProgress: ProgressReporter = {
  begin: () => undefined,
  report: () => undefined,
  done: () => undefined,
};
export const NO_PROGRESS = noProgress;
