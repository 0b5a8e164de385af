// Findings per file and the links between files, kept up to date as projects' results come and go.
import type { Finding } from '../model';
import { documentProblemNote } from '../rules/obo100_unresolved';
import type { ProjectResult } from './projectRules';

/** A document's own problems (unparseable, over budget); a new array whenever the document changed. */
export type Problems = readonly { message: string; line?: number }[];

export class FindingsIndex {
  /** The projects with findings in each file. */
  private readonly sources = new Map<string, Set<ProjectResult>>();
  /** Files whose list must be built again: a project with findings there came or went. */
  private readonly touched = new Set<string>();
  /** How many projects link each ordered pair of files (`a\0b`). */
  private readonly linkCounts = new Map<string, number>();
  /** Real file → files linked to it (agent ↔ log sites, importer ↔ imported). */
  readonly links = new Map<string, Set<string>>();
  private last: { findings: Map<string, Finding[]>; problems: Map<string, Problems> } | undefined;

  add(r: ProjectResult): void {
    for (const file of r.byFile.keys()) {
      let s = this.sources.get(file);
      if (!s) {
        s = new Set();
        this.sources.set(file, s);
      }
      s.add(r);
      this.touched.add(file);
    }
    for (const [a, b] of r.links) {
      this.link(a, b, 1);
      this.link(b, a, 1);
    }
  }

  remove(r: ProjectResult): void {
    for (const file of r.byFile.keys()) {
      const s = this.sources.get(file);
      s?.delete(r);
      if (s?.size === 0) {
        this.sources.delete(file);
      }
      this.touched.add(file);
    }
    for (const [a, b] of r.links) {
      this.link(a, b, -1);
      this.link(b, a, -1);
    }
  }

  /**
   * Findings per file: documents first (each with its own problems), then files only read from disk. A file no
   * project came to or left keeps its list (the same array), so callers can tell it did not change. `rank` orders
   * the projects sharing a file as a run over the whole program would.
   */
  findings(
    docs: readonly { path: string; problems: Problems }[],
    rank: (r: ProjectResult) => number,
  ): Map<string, Finding[]> {
    const last = this.last;
    const problems = new Map<string, Problems>(docs.map((d) => [d.path, d.problems]));
    const findings = new Map<string, Finding[]>();
    const fill = (file: string) => {
      const kept = last?.findings.get(file);
      const own = problems.get(file) ?? NO_PROBLEMS;
      if (kept && !this.touched.has(file) && last?.problems.get(file) === own) {
        findings.set(file, kept);
        return;
      }
      const list = own.map((p) => documentProblemNote(file, p));
      const from = [...(this.sources.get(file) ?? [])];
      if (from.length > 1) {
        from.sort((a, b) => rank(a) - rank(b));
      }
      for (const r of from) {
        list.push(...(r.byFile.get(file) ?? []));
      }
      findings.set(file, list.sort(compareFindings));
    };
    docs.forEach((d) => fill(d.path));
    for (const file of this.sources.keys()) {
      if (!findings.has(file)) {
        fill(file);
        problems.set(file, NO_PROBLEMS);
      }
    }
    this.touched.clear();
    this.last = { findings, problems };
    return findings;
  }

  private link(a: string, b: string, delta: number): void {
    if (a === b) {
      return;
    }
    const key = `${a}\0${b}`;
    const n = (this.linkCounts.get(key) ?? 0) + delta;
    if (n > 0) {
      this.linkCounts.set(key, n);
      let s = this.links.get(a);
      if (!s) {
        s = new Set();
        this.links.set(a, s);
      }
      s.add(b);
      return;
    }
    this.linkCounts.delete(key);
    const s = this.links.get(a);
    s?.delete(b);
    if (s?.size === 0) {
      this.links.delete(a);
    }
  }
}

const NO_PROBLEMS: Problems = [];

/**
 * By place, code, then message: two findings of one code at one place (two values kept on one attribute) come in
 * the order of work otherwise, which a kept interpreter's update and a fresh run do not share.
 */
function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.location.cell ?? -1) - (b.location.cell ?? -1) ||
    a.location.range.start.line - b.location.range.start.line ||
    a.location.range.start.character - b.location.range.start.character ||
    a.code.localeCompare(b.code) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
