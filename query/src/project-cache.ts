import { findProject, type Database, type Project } from '@faultline/storage';

/**
 * `{project}` of a path (id or slug) → project, kept for a short while: every API call names its project, and a
 * lookup is a round trip to ClickHouse (~4 ms embedded). Only found projects are kept, so a new project is
 * visible at once; a change made through this server clears the cache, one made elsewhere (CLI, another query
 * role) shows within `ttlMs` — as for tokens.
 */
export class ProjectCache {
  private readonly entries = new Map<string, { project: Project; until: number }>();
  private readonly db: Database;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(db: Database, ttlMs = 2_000, maxEntries = 10_000) {
    this.db = db;
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  async find(idOrSlug: string): Promise<Project | null> {
    const hit = this.entries.get(idOrSlug);
    if (hit && hit.until > Date.now()) return hit.project;
    const project = await findProject(this.db, idOrSlug);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    if (project) this.entries.set(idOrSlug, { project, until: Date.now() + this.ttlMs });
    else this.entries.delete(idOrSlug);
    return project;
  }

  clear(): void {
    this.entries.clear();
  }
}
