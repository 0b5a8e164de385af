// Per-resource settings from `workspace/configuration`, cached per document and cleared when the client says they changed.
import { DEFAULT_SETTINGS, normalizeSettings, type OboSettings } from '../../../shared/settings';
import type { ServerLogger } from './serverLogger';

/** Fetches the raw `oboAgents` section for a resource; undefined when the client can't answer. */
export type ConfigurationFetcher = (scopeUri: string | undefined) => Promise<unknown>;

export class SettingsCache {
  private readonly cache = new Map<string, Promise<OboSettings>>();
  private generation = 0;

  constructor(
    private readonly fetch: ConfigurationFetcher | undefined,
    private readonly logger: ServerLogger,
    /** Settings from `initializationOptions`, used when the client has no `workspace/configuration`. */
    private readonly fallback: OboSettings = DEFAULT_SETTINGS,
  ) {}

  /** The settings of a resource (a document or folder URI; undefined for the window). */
  get(scopeUri: string | undefined): Promise<OboSettings> {
    const key = scopeUri ?? '';
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.load(scopeUri);
      this.cache.set(key, entry);
      const generation = this.generation;
      // A failed fetch is not cached, so the next request asks again.
      entry.catch(() => {
        if (generation === this.generation) {
          this.cache.delete(key);
        }
      });
    }
    return entry;
  }

  delete(scopeUri: string): void {
    this.cache.delete(scopeUri);
  }

  clear(): void {
    this.generation++;
    this.cache.clear();
  }

  private async load(scopeUri: string | undefined): Promise<OboSettings> {
    if (!this.fetch) {
      return this.fallback;
    }
    let raw: unknown;
    try {
      raw = await this.fetch(scopeUri);
    } catch (error) {
      this.logger.once(
        `settings-fetch:${String(error)}`,
        'warn',
        'workspace/configuration failed; using defaults',
        error,
      );
      return this.fallback;
    }
    const problems: string[] = [];
    const settings = normalizeSettings(raw, problems);
    for (const p of problems) {
      this.logger.once(`settings:${p}`, 'warn', `Settings: ${p}`);
    }
    return settings;
  }
}
