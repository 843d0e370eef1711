import type { ProjectSettings } from '@faultline/storage';
import type { ScrubOptions } from './scrub.ts';

/**
 * Per-project ingest settings from the projects table, reloaded on an interval. Scrub options objects are
 * rebuilt only when a project's settings change (the scrubber caches work per options object).
 */
export class ProjectSettingsCache {
  private readonly load: () => Promise<Map<number, ProjectSettings>>;
  private readonly base: ScrubOptions;
  private readonly overrides: Map<number, number>;
  private scrub = new Map<number, { json: string; options: ScrubOptions }>();
  private timer: NodeJS.Timeout | null = null;

  /** `rateOverrides` is the rate limiter's own map, updated in place. */
  constructor(load: () => Promise<Map<number, ProjectSettings>>, base: ScrubOptions, rateOverrides: Map<number, number>) {
    this.load = load;
    this.base = base;
    this.overrides = rateOverrides;
  }

  async start(refreshMs: number): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch(() => undefined), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    const settings = await this.load();
    const next = new Map<number, { json: string; options: ScrubOptions }>();
    this.overrides.clear();
    for (const [projectId, s] of settings) {
      if (s.rateLimitPerSecond !== undefined) this.overrides.set(projectId, s.rateLimitPerSecond);
      const json = JSON.stringify([s.scrubPii, s.scrubExtraKeys, s.scrubSafeKeys]);
      const previous = this.scrub.get(projectId);
      next.set(projectId, previous?.json === json ? previous : { json, options: this.compile(s) });
    }
    this.scrub = next;
  }

  private compile(s: ProjectSettings): ScrubOptions {
    return {
      ...this.base,
      enabled: s.scrubPii ?? this.base.enabled,
      extraKeys: [...this.base.extraKeys, ...(s.scrubExtraKeys ?? [])],
      safeKeys: [...this.base.safeKeys, ...(s.scrubSafeKeys ?? [])],
    };
  }

  scrubFor(projectId: number): ScrubOptions {
    return this.scrub.get(projectId)?.options ?? this.base;
  }
}
