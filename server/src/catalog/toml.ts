// A small TOML reader for config files (`[tool.obo]` in pyproject.toml): tables, arrays of tables, strings, numbers, booleans, arrays, inline tables.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {
  constructor(
    message: string,
    /** 1-based line of the problem. */
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

/** Parses TOML text; dates and times are not supported (config files here have none). Throws TomlError. */
export function parseToml(text: string): TomlTable {
  return new Reader(text.replace(/^\uFEFF/, '')).document();
}

class Reader {
  private pos = 0;
  private readonly root: TomlTable = {};

  constructor(private readonly src: string) {}

  document(): TomlTable {
    let table = this.root;
    for (;;) {
      this.skipBlankAndComments();
      if (this.pos >= this.src.length) {
        return this.root;
      }
      if (this.src.startsWith('[[', this.pos)) {
        this.pos += 2;
        const keys = this.keyPath();
        this.expect(']]');
        const parent = this.descend(this.root, keys.slice(0, -1));
        const last = keys[keys.length - 1];
        const list = (parent[last] ??= []);
        if (!Array.isArray(list)) {
          this.fail(`\`${keys.join('.')}\` is not an array of tables`);
        }
        table = {};
        list.push(table);
      } else if (this.src[this.pos] === '[') {
        this.pos++;
        const keys = this.keyPath();
        this.expect(']');
        table = this.descend(this.root, keys);
      } else {
        const keys = this.keyPath();
        this.expect('=');
        const target = this.descend(table, keys.slice(0, -1));
        const last = keys[keys.length - 1];
        if (last in target) {
          this.fail(`duplicate key \`${keys.join('.')}\``);
        }
        target[last] = this.value();
      }
      this.endOfLine();
    }
  }

  private descend(from: TomlTable, keys: string[]): TomlTable {
    let t = from;
    for (const k of keys) {
      let next = t[k];
      if (next === undefined) {
        next = t[k] = {};
      }
      if (Array.isArray(next)) {
        next = next[next.length - 1];
      }
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        this.fail(`\`${k}\` is not a table`);
      }
      t = next;
    }
    return t;
  }

  private keyPath(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === '"' || c === "'") {
        keys.push(this.string());
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.src.slice(this.pos, this.pos + 256));
        if (!m) {
          this.fail('expected a key');
        }
        keys.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpaces();
      if (this.src[this.pos] !== '.') {
        return keys;
      }
      this.pos++;
    }
  }

  private value(): TomlValue {
    this.skipSpaces();
    const c = this.src[this.pos];
    if (c === '"' || c === "'") {
      return this.string();
    }
    if (c === '[') {
      this.pos++;
      const list: TomlValue[] = [];
      for (;;) {
        this.skipBlankAndComments();
        if (this.src[this.pos] === ']') {
          this.pos++;
          return list;
        }
        list.push(this.value());
        this.skipBlankAndComments();
        if (this.src[this.pos] === ',') {
          this.pos++;
        } else if (this.src[this.pos] !== ']') {
          this.fail('expected `,` or `]` in array');
        }
      }
    }
    if (c === '{') {
      this.pos++;
      const table: TomlTable = {};
      this.skipSpaces();
      if (this.src[this.pos] === '}') {
        this.pos++;
        return table;
      }
      for (;;) {
        const keys = this.keyPath();
        this.expect('=');
        this.descend(table, keys.slice(0, -1))[keys[keys.length - 1]] = this.value();
        this.skipSpaces();
        if (this.src[this.pos] === '}') {
          this.pos++;
          return table;
        }
        this.expect(',');
      }
    }
    const m =
      /^(?:true|false|[+-]?(?:inf|nan)|[+-]?[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)(?=[\s,\]}#]|$)/.exec(
        this.src.slice(this.pos, this.pos + 64),
      );
    if (!m) {
      this.fail('expected a value');
    }
    this.pos += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') {
      return m[0] === 'true';
    }
    return Number(
      m[0]
        .replace(/_/g, '')
        .replace(/inf$/, 'Infinity')
        .replace(/^[+-]?nan$/, 'NaN'),
    );
  }

  private string(): string {
    const quote = this.src[this.pos];
    const multi = this.src.startsWith(quote.repeat(3), this.pos);
    const delim = multi ? quote.repeat(3) : quote;
    this.pos += delim.length;
    if (multi && this.src[this.pos] === '\n') {
      this.pos++;
    } else if (multi && this.src.startsWith('\r\n', this.pos)) {
      this.pos += 2;
    }
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length || (!multi && this.src[this.pos] === '\n')) {
        this.fail('unterminated string');
      }
      if (this.src.startsWith(delim, this.pos)) {
        this.pos += delim.length;
        return out;
      }
      const c = this.src[this.pos++];
      if (c === '\\' && quote === '"') {
        out += this.escape();
      } else {
        out += c;
      }
    }
  }

  private escape(): string {
    const c = this.src[this.pos++];
    const simple: Record<string, string> = {
      b: '\b',
      t: '\t',
      n: '\n',
      f: '\f',
      r: '\r',
      '"': '"',
      '\\': '\\',
    };
    if (c in simple) {
      return simple[c];
    }
    if (c === 'u' || c === 'U') {
      const len = c === 'u' ? 4 : 8;
      const hex = this.src.slice(this.pos, this.pos + len);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) {
        this.fail('bad unicode escape');
      }
      this.pos += len;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (c === '\n' || c === '\r' || c === ' ' || c === '\t') {
      // A line-ending backslash in a multi-line string trims the following whitespace.
      while (/\s/.test(this.src[this.pos] ?? '')) {
        this.pos++;
      }
      return '';
    }
    this.fail(`bad escape \\${c}`);
  }

  private expect(token: string): void {
    this.skipSpaces();
    if (!this.src.startsWith(token, this.pos)) {
      this.fail(`expected \`${token}\``);
    }
    this.pos += token.length;
  }

  private endOfLine(): void {
    this.skipSpaces();
    if (this.src[this.pos] === '#') {
      this.skipComment();
    }
    if (this.pos < this.src.length && this.src[this.pos] !== '\n' && this.src[this.pos] !== '\r') {
      this.fail('expected the end of the line');
    }
  }

  private skipSpaces(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') {
      this.pos++;
    }
  }

  private skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') {
      this.pos++;
    }
  }

  private skipBlankAndComments(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.pos++;
      } else if (c === '#') {
        this.skipComment();
      } else {
        return;
      }
    }
  }

  private fail(message: string): never {
    let line = 1;
    for (let i = 0; i < this.pos && i < this.src.length; i++) {
      if (this.src[i] === '\n') {
        line++;
      }
    }
    throw new TomlError(message, line);
  }
}
