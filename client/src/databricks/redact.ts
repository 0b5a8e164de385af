// Keeps credentials out of every log line, message and file: known secrets plus token-shaped strings are masked.

/** Shapes that are credentials whoever issued them: PATs, bearer values, JWT-style OAuth tokens. */
const PATTERNS: [RegExp, string][] = [
  [/\bdapi[0-9a-f]{16,}(-\d+)?\b/gi, 'dapi***'],
  // Databricks OAuth client secrets (service principals).
  [/\bdose[0-9a-f]{32,}\b/gi, 'dose***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\b/g, '***'],
  [
    /((?:"|')?(?:authorization|token|access_token|client_secret|password)(?:"|')?\s*[:=]\s*(?:"|')?)(?!Bearer\b|Basic\b|\*)[^"'\s,}]{6,}/gi,
    '$1***',
  ],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret seen at run time (a token read from a profile, SecretStorage or the SDK). */
  add(secret: string | undefined): void {
    // Short values would mask ordinary words; real tokens are long.
    if (secret && secret.length >= 8) {
      this.secrets.add(secret);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      out = out.split(s).join('***');
    }
    for (const [re, by] of PATTERNS) {
      out = out.replace(re, by);
    }
    return out;
  }

  /** Redacts every string inside a JSON-like value (webview messages, request logs). */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
  }
}

/** The slice of `vscode.LogOutputChannel` the plain modules use, so they run without VS Code. */
export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A log that masks secrets before anything reaches the underlying channel. */
export function redactingLog(target: Log, redactor: Redactor): Log {
  const wrap = (f: (m: string) => void) => (m: string) => f(redactor.redact(m));
  return {
    trace: wrap((m) => target.trace(m)),
    debug: wrap((m) => target.debug(m)),
    info: wrap((m) => target.info(m)),
    warn: wrap((m) => target.warn(m)),
    error: wrap((m) => target.error(m)),
  };
}

/** A log that keeps lines in memory (tests, and the "request/response" view). */
export class MemoryLog implements Log {
  readonly lines: string[] = [];
  trace = (m: string) => this.lines.push(`[trace] ${m}`);
  debug = (m: string) => this.lines.push(`[debug] ${m}`);
  info = (m: string) => this.lines.push(`[info] ${m}`);
  warn = (m: string) => this.lines.push(`[warn] ${m}`);
  error = (m: string) => this.lines.push(`[error] ${m}`);
}
