// Compiles `oboAgents.exclude` globs (`**`, `*`, `?`, `{a,b}`, `[...]`) to regexes over folder-relative paths.

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function globToRegexSource(glob: string): string {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '{') {
      inBraces++;
      out += '(?:';
    } else if (ch === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (ch === ',' && inBraces > 0) {
      out += '|';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
      } else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else {
      out += escapeRegex(ch);
    }
  }
  return out + ')'.repeat(inBraces);
}

/**
 * A predicate over `/`-separated paths relative to the workspace folder. A glob without a `/` matches at any
 * depth (like `.gitignore`); a glob naming a folder also excludes everything under it.
 */
export function compileGlobs(globs: readonly string[]): (relativePath: string) => boolean {
  const regexes: RegExp[] = [];
  for (const raw of globs) {
    let glob = raw.trim().replace(/\\/g, '/');
    if (!glob) {
      continue;
    }
    glob = glob.replace(/^\.\//, '').replace(/^\//, '');
    if (!glob.includes('/')) {
      glob = `**/${glob}`;
    }
    try {
      regexes.push(new RegExp(`^${globToRegexSource(glob.replace(/\/$/, ''))}(?:/.*)?$`));
    } catch {
      // An unbalanced pattern matches nothing rather than failing every lookup.
    }
  }
  if (regexes.length === 0) {
    return () => false;
  }
  return (relativePath) => {
    const p = relativePath.replace(/\\/g, '/');
    return regexes.some((r) => r.test(p));
  };
}
