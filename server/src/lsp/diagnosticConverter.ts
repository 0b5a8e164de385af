// Turns analyser findings into LSP diagnostics: code, source, doc link, severity overrides, tags, related info, fix data.
import {
  type Diagnostic,
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
  DiagnosticTag,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../analyser/model';
import { type ClientFeatures, SOURCE } from './capabilities';
import type { DocTarget, DocumentResolver } from './documentResolver';
import { ruleDocUrl } from './ruleDocs';
import type { OboSettings } from '../../../shared/settings';

/** A fix ready to apply: the edits per document URI, with the versions they were computed against. */
export interface DataFix {
  title: string;
  safe: boolean;
  changes: Record<string, TextEdit[]>;
  /** The version of every edited document that was open (null: closed, read from disk). */
  versions: Record<string, number | null>;
}

/** The `data` payload of every diagnostic: code actions are built from it alone, never by re-analysing. */
export interface DiagnosticData {
  uri: string;
  version: number | null;
  code: string;
  fixes: DataFix[];
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const v = value as DiagnosticData | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.uri === 'string' &&
    typeof v.code === 'string' &&
    Array.isArray(v.fixes)
  );
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity shown for a finding under the user's overrides; undefined when the rule is `off`. */
export function effectiveSeverity(finding: Finding, settings: OboSettings): DiagnosticSeverity | undefined {
  const override = settings.rules.severity[finding.code];
  if (override === 'off') {
    return undefined;
  }
  return SEVERITY[override ?? finding.severity] ?? DiagnosticSeverity.Warning;
}

export class DiagnosticConverter {
  constructor(
    private readonly resolver: DocumentResolver,
    private readonly features: ClientFeatures,
  ) {}

  convert(finding: Finding, target: DocTarget, settings: OboSettings): Diagnostic | undefined {
    const severity = effectiveSeverity(finding, settings);
    if (severity === undefined) {
      return undefined;
    }
    const diagnostic: Diagnostic = {
      range: finding.location.range,
      severity,
      code: finding.code,
      codeDescription: { href: ruleDocUrl(finding.code) },
      source: SOURCE,
      message: finding.message,
    };
    if (finding.unnecessary && this.features.unnecessaryTag) {
      diagnostic.tags = [DiagnosticTag.Unnecessary];
    }
    if (finding.related?.length && this.features.relatedInformation) {
      const related: DiagnosticRelatedInformation[] = [];
      for (const r of finding.related) {
        const ref = this.resolver.uriOf(r.location);
        if (ref) {
          related.push({ location: { uri: ref.uri, range: r.location.range }, message: r.message });
        }
      }
      if (related.length > 0) {
        diagnostic.relatedInformation = related;
      }
    }
    const data: DiagnosticData = {
      uri: target.uri,
      version: target.version,
      code: finding.code,
      fixes: (finding.fixes ?? []).map((f) => this.toDataFix(f)).filter((f): f is DataFix => f !== undefined),
    };
    diagnostic.data = data;
    return diagnostic;
  }

  /** A fix whose edits can all be placed in a document; undefined when one targets an unopened notebook cell. */
  toDataFix(fix: Fix): DataFix | undefined {
    const changes: Record<string, TextEdit[]> = {};
    const versions: Record<string, number | null> = {};
    for (const edit of fix.edits) {
      const ref = this.resolver.uriOf(edit.location);
      if (!ref) {
        return undefined;
      }
      (changes[ref.uri] ??= []).push({ range: edit.location.range, newText: edit.newText });
      versions[ref.uri] = ref.version;
    }
    if (Object.keys(changes).length === 0) {
      return undefined;
    }
    return { title: fix.title, safe: fix.safe, changes, versions };
  }
}
