// Saved searches of /api/v1 (docs/api.md): named query strings of the issues, traces and logs pages.
import { getJson, send } from './client.ts';
import { str } from '../format/metrics.ts';

export type SavedSearchPage = 'issues' | 'traces' | 'logs';
const PAGES: readonly string[] = ['issues', 'traces', 'logs'] satisfies SavedSearchPage[];

export interface SavedSearch {
  id: string;
  /** The page it searches ('' when the answer named none we know). */
  page: SavedSearchPage | '';
  name: string;
  /** The page's URL query string, without `?`. */
  query: string;
  createdBy: string;
}

const seg = encodeURIComponent;
const base = (project: string): string => `/projects/${seg(project)}/saved-searches`;

function normalize(raw: unknown): SavedSearch | null {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = str(r.id);
  const page = str(r.page);
  const known = PAGES.includes(page) ? (page as SavedSearchPage) : '';
  return id ? { id, page: known, name: str(r.name), query: str(r.query), createdBy: str(r.createdBy) } : null;
}

/** One page's searches, or (without `page`) every page's, by name. */
export async function listSavedSearches(project: string, page?: SavedSearchPage, signal?: AbortSignal): Promise<SavedSearch[]> {
  const body = await getJson<{ savedSearches?: unknown }>(`${base(project)}${page ? `?page=${page}` : ''}`, signal);
  return (Array.isArray(body.savedSearches) ? body.savedSearches : []).map(normalize).filter((s) => s !== null);
}

/** Saves under `name`; a name the page already has is replaced (the server keeps its id). */
export async function saveSearch(project: string, page: SavedSearchPage, name: string, query: string): Promise<SavedSearch | null> {
  const res = await send(base(project), { method: 'POST', body: { page, name, query } });
  return normalize(await res.json());
}

export async function deleteSavedSearch(project: string, id: string): Promise<void> {
  await send(`${base(project)}/${seg(id)}`, { method: 'DELETE' });
}
