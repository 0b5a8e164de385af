// Scope arithmetic over the catalog: which declared string satisfies which need, naming families, nearest match.
import type { Catalog, ScopeRow } from './types';

export class ScopeBook {
  private readonly byName = new Map<string, ScopeRow>();
  private readonly coveredBy = new Map<string, Set<string>>();

  constructor(private readonly catalog: Catalog) {
    for (const row of catalog.scopes) {
      this.byName.set(row.name, row);
      for (const need of [row.name, ...(row.covers ?? [])]) {
        let set = this.coveredBy.get(need);
        if (!set) {
          set = new Set();
          this.coveredBy.set(need, set);
        }
        set.add(row.name);
      }
    }
  }

  get(name: string): ScopeRow | undefined {
    return this.byName.get(name);
  }

  isKnown(name: string): boolean {
    return this.byName.has(name);
  }

  rejected(name: string) {
    return this.catalog.rejectedScopes.find((r) => r.name === name);
  }

  /** Does the declared scope string satisfy the (documented-family) need? */
  satisfies(declared: string, need: string): boolean {
    return this.coveredBy.get(need)?.has(declared) ?? declared === need;
  }

  /** The needs, among those given, that none of the declared scopes satisfies. */
  missing(declared: readonly string[], needs: Iterable<string>): string[] {
    const out: string[] = [];
    for (const need of needs) {
      if (!declared.some((d) => this.satisfies(d, need)) && !out.includes(need)) {
        out.push(need);
      }
    }
    return out;
  }

  /** Which naming family the author writes in: `short` as soon as one short name is declared. */
  familyOf(declared: readonly string[]): 'documented' | 'short' {
    return declared.some((d) => this.byName.get(d)?.family === 'short') ? 'short' : 'documented';
  }

  /**
   * The strings to add for the given needs, in the author's family, without duplicates
   * (two needs covered by one short name give one string).
   */
  spell(needs: readonly string[], family: 'documented' | 'short'): string[] {
    const out: string[] = [];
    for (const need of needs) {
      const row = this.byName.get(need);
      const name = family === 'short' && row?.shortName ? row.shortName : need;
      if (!out.includes(name)) {
        out.push(name);
      }
    }
    return out;
  }

  /** The closest known scope to a misspelt one, or undefined when nothing is close. */
  nearest(name: string): string | undefined {
    const rejected = this.rejected(name);
    if (rejected?.suggest) {
      return rejected.suggest;
    }
    const lower = name.trim().toLowerCase();
    if (this.byName.has(lower)) {
      return lower;
    }
    let best: string | undefined;
    let bestScore = Infinity;
    for (const candidate of this.byName.keys()) {
      const d = editDistance(lower, candidate);
      if (d < bestScore) {
        bestScore = d;
        best = candidate;
      }
    }
    // Farther than a third of the word is a different word, not a typo.
    return best !== undefined && bestScore <= Math.max(2, Math.floor(lower.length / 3)) ? best : undefined;
  }

  all(): readonly ScopeRow[] {
    return this.catalog.scopes;
  }
}

/** Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
