// The part of a page's URL a saved search keeps. Pure.

/** Not part of a search: paging (a saved search opens on its first page) and sign-in state. */
const TRANSIENT_PARAMS = ['cursor', 'signin'];

/** `search` (a URL's query string) without the transient parameters and any of `drop`, as a string without `?`. */
export function savedQuery(search: string, drop: readonly string[] = []): string {
  const q = new URLSearchParams(search);
  for (const key of [...TRANSIENT_PARAMS, ...drop]) q.delete(key);
  return q.toString();
}
