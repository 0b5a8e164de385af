// Coalesces "these files may have new diagnostics" into at most one `workspace/diagnostic/refresh` per burst of edits.
import type { ServerLogger } from './serverLogger';

export class RefreshScheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(
    /** Tells whether any of these paths now shows other diagnostics than the client has. */
    private readonly changed: (paths: ReadonlySet<string>) => Promise<boolean>,
    private readonly refresh: () => void,
    private readonly logger: ServerLogger,
    private readonly delayMs = 25,
  ) {}

  schedule(paths: Iterable<string>): void {
    for (const p of paths) {
      this.pending.add(p);
    }
    if (this.pending.size > 0 && !this.timer && !this.disposed) {
      // Debounced, so a burst of keystrokes costs one check; unref'd so it never keeps the process alive.
      this.timer = setTimeout(() => void this.run(), this.delayMs);
      this.timer.unref?.();
    }
  }

  /** Sends a refresh now, whatever changed (settings, index finished, catalog rebuilt). */
  refreshAll(): void {
    this.pending.clear();
    this.send();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.running) {
      await this.running;
    }
    const paths = new Set(this.pending);
    this.pending.clear();
    if (paths.size === 0) {
      return;
    }
    this.running = (async () => {
      try {
        if (await this.changed(paths)) {
          this.send();
        }
      } catch (error) {
        this.logger.once(`refresh-check:${String(error)}`, 'error', 'Checking dependent files failed', error);
      }
    })();
    await this.running;
    this.running = undefined;
  }

  private send(): void {
    try {
      this.refresh();
    } catch (error) {
      this.logger.once(`refresh:${String(error)}`, 'warn', 'workspace/diagnostic/refresh failed', error);
    }
  }
}
