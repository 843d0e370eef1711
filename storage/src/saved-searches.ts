import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';
import { sql, typed } from './sql.ts';
import { millisToDateTime64, nextVersion } from './time.ts';

/** The UI pages a search can be saved on. */
export const SAVED_SEARCH_PAGES = ['issues', 'traces', 'logs'] as const;
export type SavedSearchPage = (typeof SAVED_SEARCH_PAGES)[number];

export interface SavedSearchInput {
  page: SavedSearchPage;
  name: string;
  /** The page's URL query string (`query=is%3Aunresolved&sort=events`), without a leading `?`. */
  query: string;
}

export interface SavedSearch extends SavedSearchInput {
  id: string;
  createdBy: string;
  createdAt: string;
}

interface Stored extends SavedSearch {
  createdAtMs: number;
}

function searchRow(projectId: number, s: Stored, deleted: boolean): object {
  return {
    ProjectId: projectId,
    Id: s.id,
    Page: s.page,
    Name: s.name,
    Query: s.query,
    CreatedBy: s.createdBy,
    CreatedAt: millisToDateTime64(s.createdAtMs),
    Deleted: deleted ? 1 : 0,
    Version: nextVersion(),
  };
}

/**
 * Saving under a name the page already has (case aside) replaces that search, keeping its id; a new one is refused
 * (null) once the project keeps `max`. The cap is read with the list, so concurrent saves may pass it by a few.
 */
export async function saveSearch(
  db: Database,
  projectId: number,
  input: SavedSearchInput,
  createdBy: string,
  max: number,
): Promise<SavedSearch | null> {
  const now = Date.now();
  const existing = await listStored(db, projectId);
  const same = existing.find((s) => s.page === input.page && s.name.toLowerCase() === input.name.toLowerCase());
  if (!same && existing.length >= max) return null;
  const stored: Stored = { ...input, id: same?.id ?? randomUUID(), createdBy, createdAt: new Date(now).toISOString(), createdAtMs: now };
  await db.insert('saved_searches', [searchRow(projectId, stored, false)]);
  const { createdAtMs: _, ...search } = stored;
  return search;
}

async function listStored(db: Database, projectId: number, page?: SavedSearchPage): Promise<Stored[]> {
  const pageFilter = page === undefined ? sql`1` : sql`Page = ${page}`;
  return db.query<Stored>(sql`
    SELECT Id AS id, toString(Page) AS page, Name AS name, Query AS query, CreatedBy AS createdBy,
      formatDateTime(CreatedAt, '%Y-%m-%dT%H:%i:%S.%fZ') AS createdAt, toUnixTimestamp64Milli(CreatedAt) AS createdAtMs
    FROM ${db.table('saved_searches')} FINAL
    WHERE ProjectId = ${typed(projectId, 'UInt32')} AND Deleted = 0 AND ${pageFilter}
    ORDER BY lower(Name), Id`);
}

/** A project's saved searches (of one page, or all), by name. */
export async function listSavedSearches(db: Database, projectId: number, page?: SavedSearchPage): Promise<SavedSearch[]> {
  return (await listStored(db, projectId, page)).map(({ createdAtMs: _, ...s }) => s);
}

/** False when the project has no such saved search. */
export async function deleteSavedSearch(db: Database, projectId: number, id: string): Promise<boolean> {
  const current = (await listStored(db, projectId)).find((s) => s.id === id);
  if (!current) return false;
  await db.insert('saved_searches', [searchRow(projectId, current, true)]);
  return true;
}
