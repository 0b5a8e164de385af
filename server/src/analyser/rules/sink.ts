// Where rules put their findings: built at a syntax site, with suppression comments, default severities and no duplicates.
import type { Finding, Fix, RelatedInfo, RuleCode, Severity } from '../model';
import type { Site } from '../engine/values';
import { locOf } from '../engine/locations';
import { lineStartAt } from '../sources/text';
import { ruleInfo } from '../../../../shared/rules';

export interface FindingExtra {
  severity?: Severity;
  related?: RelatedInfo[];
  fixes?: Fix[];
  details?: Record<string, unknown>;
  unnecessary?: boolean;
}

const IGNORE = /#\s*obo:\s*ignore(?:\[([^\]]*)\])?/i;

/** Is `code` suppressed by a `# obo: ignore[...]` comment on the line where `site` starts? */
export function suppressed(site: Site, code: RuleCode): boolean {
  const src = site.mod.src;
  const lineStart = lineStartAt(src, site.node.start);
  const nl = src.indexOf('\n', site.node.start);
  const line = src.slice(lineStart, nl < 0 ? src.length : nl);
  const m = IGNORE.exec(line);
  if (!m) {
    return false;
  }
  if (m[1] === undefined) {
    return true;
  }
  return m[1]
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .includes(code);
}

/** The findings of one project's rules, in the order they were added; the same finding twice is kept once. */
export class FindingSink {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  add(code: RuleCode, site: Site, message: string, extra: FindingExtra = {}): Finding | undefined {
    if (suppressed(site, code)) {
      return undefined;
    }
    const location = locOf(site);
    const key = `${code}|${location.file}|${location.cell ?? ''}|${location.range.start.line}:${location.range.start.character}|${message}`;
    if (this.seen.has(key)) {
      return undefined;
    }
    this.seen.add(key);
    const f: Finding = {
      code,
      severity: extra.severity ?? ruleInfo(code).defaultSeverity,
      message,
      location,
    };
    if (extra.related?.length) {
      f.related = extra.related;
    }
    if (extra.fixes?.length) {
      f.fixes = extra.fixes;
    }
    if (extra.details) {
      f.details = extra.details;
    }
    if (extra.unnecessary) {
      f.unnecessary = true;
    }
    this.findings.push(f);
    return f;
  }
}
