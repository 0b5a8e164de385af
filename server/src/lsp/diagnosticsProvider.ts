// Pull diagnostics: per document (open files and cells) and per workspace (closed files), with result ids.
import { createHash } from 'node:crypto';
import {
  type Diagnostic,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  type PreviousResultId,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Finding } from '../analyser/model';
import type { DiagnosticConverter } from './diagnosticConverter';
import type { DocTarget, DocumentResolver } from './documentResolver';
import type { ProjectHost } from './projectHost';
import { ConversionCache } from './conversionCache';
import type { OboSettings } from '../../../shared/settings';
import type { SettingsCache } from './settingsCache';
import { pathToUri } from './uriPaths';
import type { WorkspaceFolders } from './workspaceFolders';

export interface DiagnosticsDeps {
  host: ProjectHost;
  resolver: DocumentResolver;
  converter: DiagnosticConverter;
  settings: SettingsCache;
  folders: WorkspaceFolders;
  /** Brings the analyser up to date with the open buffers (and schedules dependents' refresh). */
  sync: () => void;
}

export class DiagnosticsProvider {
  /** The last document report per URI (result id and document version), to detect dependents' changes. */
  private readonly documentResults = new Map<string, { resultId: string; version: number | null }>();
  /** Result id of the last workspace report per URI (closed files). */
  private readonly workspaceResults = new Map<string, string>();
  /** The last conversion per URI, reused while the analyser hands back the same findings array. */
  private readonly converted = new ConversionCache(hashItems);

  constructor(private readonly deps: DiagnosticsDeps) {}

  async document(uri: string, previousResultId: string | undefined): Promise<DocumentDiagnosticReport> {
    const target = this.deps.resolver.resolve(uri);
    if (!target) {
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
    const { items, resultId } = await this.report(target);
    this.documentResults.set(target.uri, { resultId, version: target.version });
    if (previousResultId === resultId) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    }
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  /** The diagnostics of one document or cell under its settings. */
  async compute(target: DocTarget): Promise<Diagnostic[]> {
    return (await this.report(target)).items;
  }

  /**
   * The diagnostics of one document or cell with their result id. A document whose findings are the same array as
   * at its last conversion (the analyser keeps the findings of files no change reached), under the same settings
   * and versions, is answered from the cache: no conversion, no hashing.
   */
  private async report(target: DocTarget): Promise<{ items: Diagnostic[]; resultId: string }> {
    const settings = await this.deps.settings.get(target.settingsUri);
    if (!settings.enable || this.deps.folders.isExcluded(target.path, settings.exclude)) {
      return EMPTY_REPORT;
    }
    this.deps.sync();
    if (!this.deps.host.ready) {
      return EMPTY_REPORT;
    }
    const findings = this.deps.host.project.findingsFor(target.path);
    return this.converted.get(target, findings, settings, this.deps.resolver, () =>
      this.toDiagnostics(
        findings.filter((f) => this.deps.resolver.contains(target, f.location)),
        target,
        settings,
      ),
    );
  }

  /** Reports for analysed files that are not open (open ones are pulled per document). */
  async workspace(previous: readonly PreviousResultId[]): Promise<WorkspaceDiagnosticReport> {
    this.deps.sync();
    if (!this.deps.host.ready) {
      return { items: [] };
    }
    const previousIds = new Map(previous.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const all = this.deps.host.project.findings(() => this.deps.host.knownPaths());
    const reported = new Set<string>();
    for (const [path, findings] of all) {
      if (this.deps.resolver.isOpenPath(path) || !isFilePath(path)) {
        continue;
      }
      const uri = pathToUri(path);
      const { items: diagnostics, resultId } = await this.closedFileReport(path, uri, findings);
      reported.add(uri);
      if (diagnostics.length === 0 && !this.workspaceResults.has(uri)) {
        continue;
      }
      this.workspaceResults.set(uri, resultId);
      items.push(
        previousIds.get(uri) === resultId
          ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId }
          : { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: diagnostics },
      );
    }
    // Files reported before and now gone (deleted, excluded, opened) get an empty report to clear them.
    for (const uri of [...this.workspaceResults.keys()]) {
      if (!reported.has(uri)) {
        this.workspaceResults.delete(uri);
        items.push({
          kind: DocumentDiagnosticReportKind.Full,
          uri,
          version: null,
          resultId: hashItems([]),
          items: [],
        });
      }
    }
    return { items };
  }

  /**
   * After a change, tells whether any document among `paths` now has other diagnostics than last reported,
   * i.e. whether a `workspace/diagnostic/refresh` is worth sending.
   */
  async changedAmong(
    paths: ReadonlySet<string>,
    openTargets: (path: string) => DocTarget[],
  ): Promise<boolean> {
    for (const path of paths) {
      const targets = openTargets(path);
      if (targets.length > 0) {
        for (const target of targets) {
          const previous = this.documentResults.get(target.uri);
          if (previous !== undefined && previous.version !== target.version) {
            // Edited since its last report: the client pulls it on its own.
            continue;
          }
          if (previous === undefined || hashItems(await this.compute(target)) !== previous.resultId) {
            return true;
          }
        }
        continue;
      }
      if (!isFilePath(path)) {
        continue;
      }
      const uri = pathToUri(path);
      const findings = this.deps.host.ready ? this.deps.host.project.findingsFor(path) : [];
      const now = (await this.closedFileReport(path, uri, findings)).resultId;
      const before = this.workspaceResults.get(uri) ?? hashItems([]);
      if (now !== before) {
        return true;
      }
    }
    return false;
  }

  forget(uri: string): void {
    this.documentResults.delete(uri);
    this.converted.delete(uri);
  }

  private async closedFileReport(
    path: string,
    uri: string,
    findings: Finding[],
  ): Promise<{ items: Diagnostic[]; resultId: string }> {
    const folder = this.deps.folders.folderOf(path);
    const settings = await this.deps.settings.get(folder?.uri ?? uri);
    if (!settings.enable || this.deps.folders.isExcluded(path, settings.exclude)) {
      return EMPTY_REPORT;
    }
    const target: DocTarget = { uri, path, version: null, settingsUri: folder?.uri ?? uri };
    // Cell findings of a closed notebook have no place to show: their lines count within a cell.
    return this.converted.get(target, findings, settings, this.deps.resolver, () =>
      this.toDiagnostics(
        findings.filter((f) => f.location.file === path && f.location.cell === undefined),
        target,
        settings,
      ),
    );
  }

  private toDiagnostics(
    findings: readonly Finding[],
    target: DocTarget,
    settings: OboSettings,
  ): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const f of findings) {
      const d = this.deps.converter.convert(f, target, settings);
      if (d) {
        out.push(d);
      }
    }
    return out.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        String(a.code).localeCompare(String(b.code)),
    );
  }
}

const EMPTY_REPORT: { items: Diagnostic[]; resultId: string } = { items: [], resultId: hashItems([]) };

function isFilePath(path: string): boolean {
  return !/^[a-zA-Z][\w+.-]+:/.test(path) || /^[a-zA-Z]:[\\/]/.test(path);
}

/**
 * A report's result id: its items without the document versions their data records. A keystroke that leaves every
 * finding in place thus gets an unchanged report (the editor redraws nothing); the data the editor keeps then names an
 * older version, which code actions renew (`CodeActionProvider.renewed`).
 */
export function hashItems(items: readonly Diagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(items, withoutVersions)).digest('base64url').slice(0, 16);
}

function withoutVersions(key: string, value: unknown): unknown {
  return key === 'version' || key === 'versions' ? undefined : value;
}
