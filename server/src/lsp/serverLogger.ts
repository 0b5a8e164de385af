// Server-side logging over `window/logMessage` (shown in the client's server log channel), with once-only keys.

/** The part of the connection console the logger needs; a fake one in tests. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

export class ServerLogger {
  private readonly seen = new Set<string>();
  private verbose = false;

  constructor(private readonly sink: LogSink) {}

  /** Debug lines are sent only while `oboAgents.trace.server` is `verbose`. */
  setVerbose(verbose: boolean): void {
    this.verbose = verbose;
  }

  error(message: string, error?: unknown): void {
    this.safe(() => this.sink.error(error === undefined ? message : `${message}: ${describeError(error)}`));
  }

  warn(message: string): void {
    this.safe(() => this.sink.warn(message));
  }

  info(message: string): void {
    this.safe(() => this.sink.info(message));
  }

  debug(message: string): void {
    if (this.verbose) {
      this.safe(() => this.sink.log(message));
    }
  }

  /** Logs a message the first time `key` is seen, so a failure repeated on every keystroke shows once. */
  once(key: string, level: 'error' | 'warn' | 'info', message: string, error?: unknown): void {
    if (this.seen.has(key)) {
      return;
    }
    if (this.seen.size > 10_000) {
      this.seen.clear();
    }
    this.seen.add(key);
    if (level === 'error') {
      this.error(message, error);
    } else {
      this[level](error === undefined ? message : `${message}: ${describeError(error)}`);
    }
  }

  /** Forgets once-keys starting with `prefix`, so a file that fails again after recovering is logged again. */
  forget(prefix: string): void {
    for (const key of this.seen) {
      if (key.startsWith(prefix)) {
        this.seen.delete(key);
      }
    }
  }

  private safe(write: () => void): void {
    try {
      write();
    } catch {
      // The connection is gone (client exited): nowhere left to log to.
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const stack = error.stack?.split('\n').slice(0, 6).join('\n');
    return stack ?? `${error.name}: ${error.message}`;
  }
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
