// A small .gitignore matcher (the patterns git documents in gitignore(5)), so the CLI skips what the repository ignores.

export interface IgnoreRule {
  negate: boolean;
  /** A trailing `/`: matches directories only. */
  dirOnly: boolean;
  regex: RegExp;
}

/** The rules of one .gitignore file; patterns match paths relative to `base` (an absolute folder). */
export interface IgnoreFile {
  base: string;
  rules: IgnoreRule[];
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const rule = compileLine(line);
    if (rule) {
      rules.push(rule);
    }
  }
  return rules;
}

function compileLine(line: string): IgnoreRule | undefined {
  if (line.startsWith('#')) {
    return undefined;
  }
  // Trailing spaces are dropped unless escaped with a backslash.
  let p = line.replace(/(?<!\\)[ \t]+$/, '');
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p === '') {
    return undefined;
  }
  // A slash at the start or in the middle anchors the pattern to the .gitignore's folder.
  const anchored = p.includes('/');
  if (p.startsWith('/')) {
    p = p.slice(1);
  }
  const body = globToRegex(p);
  return { negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) };
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        if (i + 2 === glob.length) {
          // `foo/**` is everything inside foo; a lone `**` is everything.
          out += '.*';
        } else {
          // `**/` is zero or more folders.
          out += '(?:.*/)?';
          i++;
        }
        i++;
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, end);
      const negated = set.startsWith('!') || set.startsWith('^');
      if (negated) {
        set = set.slice(1);
      }
      set = set.replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
      out += negated ? `(?!/)[^${set}]` : `[${set}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]);
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/**
 * Whether `rel` (posix path relative to the rules' base) is ignored by these rules: the last matching rule
 * wins; undefined when none matches, so a deeper .gitignore can be consulted on top.
 */
export function matchRules(rules: readonly IgnoreRule[], rel: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const r of rules) {
    if ((!r.dirOnly || isDir) && r.regex.test(rel)) {
      result = !r.negate;
    }
  }
  return result;
}
