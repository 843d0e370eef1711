/**
 * Source-map symbolication of minified JavaScript frames, run before grouping so one throw site in the
 * original code is one issue whatever bundle it shipped in. Maps come from the files uploaded for the
 * event's release (storage `source_files`); parsed maps and lookups are cached so a burst of events from one
 * release reads and parses each map once. Nothing here throws: a missing or broken map leaves frames as they were.
 */
import type { ErrorEvent, StackFrame } from '@faultline/proto';
import type { SourceFileContent, SourceFileKind } from '@faultline/storage';
import { parseSourceMap, symbolicateStack, type ParsedMap, type ResolvedMap } from './source-map-frame.ts';
import { basenameMatches, candidateNames, decodeDataUrl, referencedMapNames, resolveReference, scriptLocation, sourceMappingUrl } from './source-map-names.ts';
import { TtlLru } from './ttl-lru.ts';

export type SourceFileLoader = (projectId: number, release: string, names: string[]) => Promise<Map<string, SourceFileContent>>;
/** The release's files without content; `uploadedAt` tells a re-upload from the file already parsed. */
export type SourceFileLister = (projectId: number, release: string) => Promise<Array<{ name: string; kind: SourceFileKind; uploadedAt?: string }>>;

export interface SymbolicatorOptions {
  /** Parsed maps kept in memory (and as many script → map lookups). Maps can be megabytes each. */
  cacheEntries: number;
  /** Lists a release's files: one cheap query answers "no maps here" and enables basename matching. */
  list?: SourceFileLister;
  /** How long lookups and listings are trusted, so a new upload is used within this. Default 30 s. */
  lookupTtlMs?: number;
  /** How long a parsed map stays cached. Default 10 min. */
  mapTtlMs?: number;
  /** Called with loader failures (storage down); the events are stored unsymbolicated. */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/** Distinct scripts looked up per release per call; a stack of hundreds of bundles is not worth stalling ingest. */
const MAX_SCRIPTS = 50;

interface Listing {
  files: Map<string, { kind: SourceFileKind; uploadedAt: string }>;
}

/** The files of one release as seen by one symbolicate call: kinds from the listing, contents fetched on demand. */
class ReleaseFiles {
  private readonly fetched = new Map<string, Promise<SourceFileContent | null>>();
  readonly projectId: number;
  readonly release: string;
  readonly listing: Listing | null;
  private readonly load: SourceFileLoader;

  constructor(load: SourceFileLoader, projectId: number, release: string, listing: Listing | null) {
    this.load = load;
    this.projectId = projectId;
    this.release = release;
    this.listing = listing;
  }

  async kind(name: string): Promise<SourceFileKind | null> {
    if (this.listing) return this.listing.files.get(name)?.kind ?? null;
    return (await this.fetch(name))?.kind ?? null;
  }

  async content(name: string): Promise<string | null> {
    if (this.listing && !this.listing.files.has(name)) return null;
    return (await this.fetch(name))?.content ?? null;
  }

  /** Part of a parsed map's cache key, so a re-uploaded map is parsed anew once the listing shows it. */
  versionOf(name: string): string {
    return this.listing?.files.get(name)?.uploadedAt ?? '';
  }

  private fetch(name: string): Promise<SourceFileContent | null> {
    let pending = this.fetched.get(name);
    if (!pending) {
      pending = this.load(this.projectId, this.release, [name]).then((files) => files.get(name) ?? null);
      this.fetched.set(name, pending);
    }
    return pending;
  }
}

export class Symbolicator {
  private readonly load: SourceFileLoader;
  private readonly list: SourceFileLister | undefined;
  private readonly lookupTtlMs: number;
  private readonly mapTtlMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly now: () => number;
  private readonly maps: TtlLru<Promise<ParsedMap | null>>;
  private readonly scripts: TtlLru<Promise<ResolvedMap | null>>;
  private readonly listings: TtlLru<Promise<Listing | null>>;

  constructor(load: SourceFileLoader, opts: SymbolicatorOptions) {
    this.load = load;
    this.list = opts.list;
    this.lookupTtlMs = opts.lookupTtlMs ?? 30_000;
    this.mapTtlMs = opts.mapTtlMs ?? 600_000;
    this.onError = opts.onError ?? (() => undefined);
    this.now = opts.now ?? Date.now;
    this.maps = new TtlLru(opts.cacheEntries);
    this.scripts = new TtlLru(opts.cacheEntries);
    this.listings = new TtlLru(Math.max(100, opts.cacheEntries));
  }

  /** Rewrites the JavaScript frames of events that have a release and an uploaded map, in place. */
  async symbolicate(projectId: number, events: ErrorEvent[]): Promise<void> {
    const stacksByRelease = new Map<string, StackFrame[][]>();
    for (const event of events) {
      if (event.release === '') continue;
      for (const exception of event.exceptions) {
        if (!exception.frames.some((frame) => scriptLocation(frame) !== null)) continue;
        const stacks = stacksByRelease.get(event.release) ?? [];
        stacks.push(exception.frames);
        stacksByRelease.set(event.release, stacks);
      }
    }
    await Promise.all(
      [...stacksByRelease].map(([release, stacks]) => this.symbolicateRelease(projectId, release, stacks).catch((err: unknown) => this.onError(err))),
    );
  }

  private async symbolicateRelease(projectId: number, release: string, stacks: StackFrame[][]): Promise<void> {
    const listing = await this.listingFor(projectId, release);
    // No files for the release, or the listing failed (storage trouble): leave the frames alone.
    if (this.list && (listing === null || listing.files.size === 0)) return;
    const files = new ReleaseFiles(this.load, projectId, release, listing);
    const scripts = new Set<string>();
    for (const frames of stacks) {
      for (const frame of frames) {
        const location = scriptLocation(frame);
        if (location !== null && scripts.size < MAX_SCRIPTS) scripts.add(location);
      }
    }
    const resolved = new Map<string, ResolvedMap>();
    await Promise.all(
      [...scripts].map(async (location) => {
        const map = await this.resolveScript(files, location);
        if (map) resolved.set(location, map);
      }),
    );
    if (resolved.size === 0) return;
    for (const frames of stacks) {
      try {
        symbolicateStack(frames, (frame) => resolved.get(scriptLocation(frame) ?? ''));
      } catch (err) {
        // A map whose mappings point outside its own sources must not cost the event.
        this.onError(err);
      }
    }
  }

  private listingFor(projectId: number, release: string): Promise<Listing | null> {
    const list = this.list;
    if (!list) return Promise.resolve(null);
    return this.cached(this.listings, `${projectId}\u0000${release}`, this.lookupTtlMs, async () => {
      const rows = await list(projectId, release);
      return { files: new Map(rows.map((r) => [r.name, { kind: r.kind, uploadedAt: r.uploadedAt ?? '' }])) };
    });
  }

  private resolveScript(files: ReleaseFiles, location: string): Promise<ResolvedMap | null> {
    const key = `${files.projectId}\u0000${files.release}\u0000${location}`;
    return this.cached(this.scripts, key, this.lookupTtlMs, () => this.findMap(files, location));
  }

  /**
   * The script's map: `<name>.map` for the URL and then `~/path`, else the `sourceMappingURL` of the
   * uploaded minified file, else an upload with the same basename (when the release's listing is known).
   */
  private async findMap(files: ReleaseFiles, location: string): Promise<ResolvedMap | null> {
    const names = candidateNames(location).flatMap((name) => [`${name}.map`, name]);
    if (files.listing) names.push(...basenameMatches(location, files.listing.files.keys()));
    for (const name of new Set(names)) {
      const kind = await files.kind(name);
      if (kind === 'source_map') {
        const parsed = await this.parsedMap(files, name, () => files.content(name));
        if (parsed) return { parsed, mapUrl: resolveReference(name.slice(name.lastIndexOf('/') + 1), location) };
      } else if (kind === 'minified_source') {
        const found = await this.mapOfMinified(files, name, location);
        if (found) return found;
      }
    }
    return null;
  }

  private async mapOfMinified(files: ReleaseFiles, name: string, location: string): Promise<ResolvedMap | null> {
    const ref = sourceMappingUrl((await files.content(name)) ?? '');
    if (ref === null) return null;
    if (ref.startsWith('data:')) {
      const parsed = await this.parsedMap(files, `${name}#inline`, async () => decodeDataUrl(ref));
      return parsed ? { parsed, mapUrl: location } : null;
    }
    for (const mapName of referencedMapNames(ref, name)) {
      if ((await files.kind(mapName)) !== 'source_map') continue;
      const parsed = await this.parsedMap(files, mapName, () => files.content(mapName));
      if (parsed) return { parsed, mapUrl: resolveReference(ref, location) };
    }
    return null;
  }

  private parsedMap(files: ReleaseFiles, name: string, text: () => Promise<string | null>): Promise<ParsedMap | null> {
    const key = `${files.projectId}\u0000${files.release}\u0000${name}\u0000${files.versionOf(name.replace(/#inline$/, ''))}`;
    return this.cached(this.maps, key, this.mapTtlMs, async () => {
      const content = await text();
      return content === null ? null : parseSourceMap(content);
    });
  }

  /**
   * One load per key at a time: the promise itself is cached, so concurrent callers share it. Failures and
   * misses are kept only for the lookup TTL, so a map uploaded after the first event is found soon after.
   */
  private cached<V>(cache: TtlLru<Promise<V | null>>, key: string, ttlMs: number, produce: () => Promise<V | null>): Promise<V | null> {
    const now = this.now();
    const hit = cache.get(key, now);
    if (hit) return hit;
    const pending = produce().then(
      (value) => {
        if (value === null) cache.expire(key, this.now() + this.lookupTtlMs);
        return value;
      },
      (err: unknown) => {
        this.onError(err);
        cache.expire(key, this.now() + this.lookupTtlMs);
        return null;
      },
    );
    cache.set(key, pending, now + ttlMs);
    return pending;
  }
}
