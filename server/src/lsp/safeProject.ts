// Wraps the analyser's Project so an exception in one file is logged once and never spreads to other files.
import type { Finding, InputDocument, Position } from '../analyser/model';
import type { CompletionContext, Description, Project, TextChange } from '../analyser/project';
import { internalErrorNote } from '../analyser/rules/obo100_unresolved';
import type { AgentReport } from '../../../shared/reports';
import type { ServerLogger } from './serverLogger';

/** Test hook: a comma-separated list of file names whose analysis throws, to prove the isolation. */
const FAULTS = (process.env.OBO_LSP_FAULT_INJECT ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function injectFault(path: string): void {
  if (FAULTS.length > 0 && FAULTS.some((f) => path.endsWith(f))) {
    throw new Error(`injected fault for ${path}`);
  }
}

export class SafeProject {
  /** Files whose last analysis threw, with the message shown in their place. */
  private readonly failed = new Map<string, string>();

  constructor(
    readonly project: Project,
    private readonly logger: ServerLogger,
    private readonly timeBudgetMs: number,
  ) {}

  setDocument(doc: InputDocument, changes?: TextChange[]): void {
    const t0 = performance.now();
    try {
      injectFault(doc.path);
      this.project.setDocument(doc, changes);
      this.recovered(doc.path);
      this.checkTime(doc.path, 'setDocument', t0);
    } catch (error) {
      if (changes) {
        // The incremental path failed: retry with the whole text before giving up on the file.
        try {
          this.project.setDocument(doc);
          this.recovered(doc.path);
          return;
        } catch {
          // Fall through to the failure record below.
        }
      }
      this.fail(doc.path, 'setDocument', error);
    }
  }

  removeDocument(path: string): void {
    this.failed.delete(path);
    this.guard(path, 'removeDocument', undefined, () => this.project.removeDocument(path));
  }

  hasDocument(path: string): boolean {
    return this.guard(path, 'hasDocument', false, () => this.project.hasDocument(path));
  }

  findingsFor(path: string): Finding[] {
    const failure = this.failed.get(path);
    if (failure !== undefined) {
      return [internalErrorNote(path, failure)];
    }
    const t0 = performance.now();
    try {
      injectFault(path);
      const findings = this.project.findingsFor(path);
      this.checkTime(path, 'findingsFor', t0);
      return findings;
    } catch (error) {
      // Not remembered as failed: the cause may be another file, so the next request retries.
      const message = errorMessage(error);
      this.logger.once(
        `fail:${path}:${message}`,
        'error',
        `Analysis of ${path} failed; other files are unaffected`,
        error,
      );
      return [internalErrorNote(path, message)];
    }
  }

  /** Findings of every analysed file; a failure falls back to file-by-file so one bad file can't hide the rest. */
  findings(paths: () => Iterable<string>): Map<string, Finding[]> {
    try {
      if (FAULTS.length === 0 && this.failed.size === 0) {
        return this.project.findings();
      }
    } catch (error) {
      this.logger.once(
        `findings:${errorMessage(error)}`,
        'error',
        'Workspace findings failed; retrying file by file',
        error,
      );
    }
    const out = new Map<string, Finding[]>();
    for (const path of paths()) {
      out.set(path, this.findingsFor(path));
    }
    return out;
  }

  dependents(path: string): string[] {
    return this.guard(path, 'dependents', [], () => this.project.dependents(path));
  }

  agentReports(): AgentReport[] {
    return this.guard('', 'agentReports', [], () => this.project.agentReports());
  }

  describeAt(file: string, position: Position, cell?: number): Description | undefined {
    return this.guard(file, 'describeAt', undefined, () => this.project.describeAt(file, position, cell));
  }

  completionAt(file: string, position: Position, cell?: number): CompletionContext | undefined {
    return this.guard(file, 'completionAt', undefined, () => this.project.completionAt(file, position, cell));
  }

  private guard<T>(path: string, op: string, fallback: T, run: () => T): T {
    const t0 = performance.now();
    try {
      const result = run();
      this.checkTime(path, op, t0);
      return result;
    } catch (error) {
      this.logger.once(`${op}:${path}:${errorMessage(error)}`, 'error', `${op}(${path}) failed`, error);
      return fallback;
    }
  }

  /**
   * The analyser runs lazily, inside whichever call first needs results, and stops each module at its budget
   * (reporting OBO100). A call that still took longer than the budget is logged once per file at info level.
   */
  private checkTime(path: string, op: string, t0: number): void {
    const ms = performance.now() - t0;
    if (ms > this.timeBudgetMs) {
      this.logger.once(
        `slow:${path}`,
        'info',
        `Analysis for ${path || 'the workspace'} (${op}) took ${Math.round(ms)} ms, over the ${this.timeBudgetMs} ms budget per file; modules past their budget are cut off and marked OBO100.`,
      );
    }
  }

  private fail(path: string, op: string, error: unknown): void {
    const message = errorMessage(error);
    this.failed.set(path, message);
    this.logger.once(
      `fail:${path}:${message}`,
      'error',
      `Analysis of ${path} failed in ${op}; other files are unaffected`,
      error,
    );
  }

  private recovered(path: string): void {
    if (this.failed.delete(path)) {
      this.logger.forget(`fail:${path}:`);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
