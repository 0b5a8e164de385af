// The last diagnostics built per URI, reused while the findings array, the settings and every version they name stay the same.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../analyser/model';
import type { DocTarget, DocumentResolver } from './documentResolver';
import type { OboSettings } from '../../../shared/settings';

interface Converted {
  findings: readonly Finding[];
  settings: OboSettings;
  version: number | null;
  /** The documents whose versions the fixes recorded (a fix may edit the logging script). */
  versions: [string, number | null][];
  report: { items: Diagnostic[]; resultId: string };
}

export class ConversionCache {
  private readonly byUri = new Map<string, Converted>();

  constructor(private readonly hash: (items: readonly Diagnostic[]) => string) {}

  /** The report for `target`: the cached one when nothing it was built from changed, else `build()`'s. */
  get(
    target: DocTarget,
    findings: readonly Finding[],
    settings: OboSettings,
    resolver: DocumentResolver,
    build: () => Diagnostic[],
  ): { items: Diagnostic[]; resultId: string } {
    const hit = this.byUri.get(target.uri);
    if (
      hit &&
      hit.findings === findings &&
      hit.settings === settings &&
      hit.version === target.version &&
      hit.versions.every(([uri, version]) => (resolver.resolve(uri)?.version ?? null) === version)
    ) {
      return hit.report;
    }
    const items = build();
    const report = { items, resultId: this.hash(items) };
    this.byUri.set(target.uri, {
      findings,
      settings,
      version: target.version,
      versions: fixVersions(items),
      report,
    });
    return report;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}

function fixVersions(items: readonly Diagnostic[]): [string, number | null][] {
  const out = new Map<string, number | null>();
  for (const d of items) {
    const data = d.data as { fixes?: { versions?: Record<string, number | null> }[] } | undefined;
    for (const fix of data?.fixes ?? []) {
      for (const [uri, version] of Object.entries(fix.versions ?? {})) {
        out.set(uri, version);
      }
    }
  }
  return [...out];
}
