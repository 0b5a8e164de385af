// Code actions from diagnostic data alone: fixes first, then "Ignore … for this line", then "Show documentation"; plus fix-all.
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { ruleInfo } from './analyserBridge';
import { type ClientFeatures, FIX_ALL_KIND, SHOW_RULE_DOC_COMMAND, SOURCE } from './capabilities';
import {
  type DataFix,
  type DiagnosticData,
  effectiveSeverity,
  isDiagnosticData,
} from './diagnosticConverter';
import type { DocTarget, DocumentResolver } from './documentResolver';
import { planFixAll } from './fixAllPlanner';
import { ignoreCommentEdit } from './ignoreComment';
import type { ProjectHost } from './projectHost';
import type { SettingsCache } from './settingsCache';
import type { ServerLogger } from './serverLogger';
import { cellKey } from './uriPaths';

export interface CodeActionDeps {
  host: ProjectHost;
  resolver: DocumentResolver;
  settings: SettingsCache;
  features: ClientFeatures;
  logger: ServerLogger;
  sync: () => void;
  /** The document's diagnostics now, as a pull would report them (to renew the data of an unchanged report). */
  current: (target: DocTarget) => Promise<readonly Diagnostic[]>;
}

/** Does an action of `kind` pass the client's `context.only` filter (hierarchical kinds: `source` ⊇ `source.fixAll`)? */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) {
    return kind === CodeActionKind.QuickFix;
  }
  return only.some((o) => o === '' || kind === o || kind.startsWith(`${o}.`));
}

export class CodeActionProvider {
  constructor(private readonly deps: CodeActionDeps) {}

  async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const target = this.deps.resolver.resolve(params.textDocument?.uri);
    if (!target?.doc) {
      return [];
    }
    const settings = await this.deps.settings.get(target.settingsUri);
    if (!settings.enable) {
      return [];
    }
    const only = params.context?.only;
    const actions: CodeAction[] = [];
    if (kindRequested(only, CodeActionKind.QuickFix)) {
      const diagnostics = await this.renewed(target, params.context?.diagnostics ?? []);
      actions.push(...this.quickFixes(target, diagnostics, settings.codeAction));
    }
    if (only && kindRequested(only, FIX_ALL_KIND)) {
      const fixAll = this.fixAll(target, settings);
      if (fixAll) {
        actions.push(fixAll);
      }
    }
    return actions;
  }

  /**
   * The editor's diagnostics with their data renewed where it names older versions but the same finding stands now
   * (same code, range and message): an edit elsewhere leaves the report unchanged (its result id ignores versions),
   * so the editor keeps showing, and sends back, data computed on an earlier version. A diagnostic with no such
   * finding now is left stale, and refused below.
   */
  private async renewed(target: DocTarget, diagnostics: readonly Diagnostic[]): Promise<Diagnostic[]> {
    let now: readonly Diagnostic[] | undefined;
    const out: Diagnostic[] = [];
    for (const d of diagnostics) {
      const data = d?.source === SOURCE && isDiagnosticData(d.data) ? d.data : undefined;
      if (!data || (!this.isStale(target, data) && !data.fixes.some((f) => this.fixIsStale(f)))) {
        out.push(d);
        continue;
      }
      now ??= await this.deps.current(target);
      const same = now.find(
        (n) => n.code === d.code && n.message === d.message && sameRange(n.range, d.range),
      );
      out.push(same ? { ...d, data: same.data } : d);
    }
    return out;
  }

  private quickFixes(
    target: DocTarget,
    diagnostics: readonly Diagnostic[],
    toggles: { disableRuleComment: { enable: boolean }; showDocumentation: { enable: boolean } },
  ): CodeAction[] {
    const fixes: CodeAction[] = [];
    const ignores = new Map<string, CodeAction>();
    const docs = new Map<string, CodeAction>();
    for (const diagnostic of diagnostics) {
      if (diagnostic?.source !== SOURCE || !isDiagnosticData(diagnostic.data)) {
        continue;
      }
      const data = diagnostic.data;
      if (this.isStale(target, data)) {
        this.deps.logger.debug(`codeAction: stale diagnostic data for ${data.uri}@${data.version}; skipped`);
        continue;
      }
      for (const fix of data.fixes) {
        if (this.fixIsStale(fix)) {
          continue;
        }
        fixes.push({
          title: fix.safe ? fix.title : `${fix.title} (unsafe)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.safe,
          edit: this.workspaceEdit(fix.changes, fix.versions),
        });
      }
      const line = diagnostic.range.start.line;
      const ignoreKey = `${data.code}:${line}`;
      if (toggles.disableRuleComment.enable && !ignores.has(ignoreKey) && target.doc) {
        const edit = ignoreCommentEdit(lineText(target, line), line, data.code);
        if (edit) {
          ignores.set(ignoreKey, {
            title: `Ignore ${data.code} for this line`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: this.workspaceEdit({ [target.uri]: [edit] }, { [target.uri]: target.version }),
          });
        }
      }
      if (toggles.showDocumentation.enable && !docs.has(data.code)) {
        const title = ruleInfo(data.code)?.title;
        docs.set(data.code, {
          title: `Show documentation for ${data.code}${title ? ` (${title})` : ''}`,
          kind: CodeActionKind.QuickFix,
          command: {
            title: `Show documentation for ${data.code}`,
            command: SHOW_RULE_DOC_COMMAND,
            arguments: [data.code],
          },
        });
      }
    }
    return [...fixes, ...ignores.values(), ...docs.values()];
  }

  /** All safe fixes of the document's findings that edit only this document, without overlaps. */
  private fixAll(
    target: DocTarget,
    settings: Parameters<typeof effectiveSeverity>[1],
  ): CodeAction | undefined {
    this.deps.sync();
    if (!this.deps.host.ready || !target.doc) {
      return undefined;
    }
    const candidates: TextEdit[][] = [];
    for (const finding of this.deps.host.project.findingsFor(target.path)) {
      if (
        !this.deps.resolver.contains(target, finding.location) ||
        effectiveSeverity(finding, settings) === undefined
      ) {
        continue;
      }
      const fix = finding.fixes?.find((f) => f.safe);
      if (!fix) {
        continue;
      }
      const edits: TextEdit[] = [];
      let local = true;
      for (const e of fix.edits) {
        const ref = this.deps.resolver.uriOf(e.location);
        if (!ref || cellKey(ref.uri) !== cellKey(target.uri)) {
          local = false;
          break;
        }
        edits.push({ range: e.location.range, newText: e.newText });
      }
      if (local && edits.length > 0) {
        candidates.push(edits);
      }
    }
    const edits = planFixAll(candidates);
    if (edits.length === 0) {
      return undefined;
    }
    return {
      title: 'Fix all auto-fixable OBO problems',
      kind: FIX_ALL_KIND,
      edit: this.workspaceEdit({ [target.uri]: edits }, { [target.uri]: target.version }),
    };
  }

  private isStale(target: DocTarget, data: DiagnosticData): boolean {
    return cellKey(data.uri) !== cellKey(target.uri) || data.version !== target.version;
  }

  /** A fix that also edits another open document is stale once that document moved on. */
  private fixIsStale(fix: DataFix): boolean {
    for (const [uri, version] of Object.entries(fix.versions ?? {})) {
      const now = this.deps.resolver.resolve(uri);
      if (now?.doc && version !== null && now.version !== version) {
        return true;
      }
    }
    return false;
  }

  private workspaceEdit(
    changes: Record<string, TextEdit[]>,
    versions: Record<string, number | null>,
  ): WorkspaceEdit {
    if (!this.deps.features.documentChanges) {
      return { changes };
    }
    const documentChanges: TextDocumentEdit[] = Object.entries(changes).map(([uri, edits]) => ({
      textDocument: { uri, version: versions[uri] ?? null },
      edits,
    }));
    return { documentChanges };
  }
}

function lineText(target: DocTarget, line: number): string {
  const doc = target.doc;
  if (!doc || line < 0 || line >= doc.lineCount) {
    return '';
  }
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '').replace(/\r$/, '');
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return (
    a?.start?.line === b?.start?.line &&
    a?.start?.character === b?.start?.character &&
    a?.end?.line === b?.end?.line &&
    a?.end?.character === b?.end?.character
  );
}
