import { z } from 'zod';
import { SAVED_SEARCH_PAGES, deleteSavedSearch, listSavedSearches, saveSearch, tokenLabels, type Database } from '@faultline/storage';
import { limitReached, notFound } from '../http.ts';
import { route, type Route } from '../router.ts';

// Named searches of the issues, traces and logs pages, shared by the project (docs/api.md "Saved searches").

/** Limits: a search is a URL query string, not a document; a project keeps a list a person can scan. */
export const MAX_SAVED_SEARCHES = 200;
const MAX_NAME = 100;
const MAX_QUERY = 4_000;

const page = z.enum(SAVED_SEARCH_PAGES);

const savedSearchSchema = z.object({
  id: z.string(),
  page,
  name: z.string(),
  query: z.string().meta({ description: "the page's URL query string, without `?`" }),
  createdBy: z.string().meta({ description: "label of the token that saved it ('' when it has none)" }),
  createdAt: z.string().meta({ description: 'ISO-8601' }),
});

const body = z
  .object({
    page,
    name: z.string().trim().min(1, 'must not be empty').max(MAX_NAME, `must be at most ${MAX_NAME} characters`),
    query: z
      .string()
      .max(MAX_QUERY, `must be at most ${MAX_QUERY} characters`)
      .transform((q) => q.replace(/^\?/, ''))
      .refine((q) => !/[\s#]/.test(q), 'must be a URL query string (no spaces or #; encode values)'),
  })
  .strict();

export function savedSearchRoutes(db: Database): Route[] {
  const base = '/api/v1/projects/{project}/saved-searches';
  return [
    route({
      method: 'GET',
      path: base,
      summary: "The project's saved searches (of one `page`, or all), by name.",
      access: 'read',
      query: z.object({ page: page.optional() }),
      response: z.object({ savedSearches: z.array(savedSearchSchema) }),
      async handler({ project, query }) {
        return { body: { savedSearches: await listSavedSearches(db, project.id, query.page) } };
      },
    }),
    route({
      method: 'POST',
      path: base,
      summary: 'Save a search of a page under a name; a name the page already has (case aside) is replaced.',
      access: 'admin',
      body,
      response: savedSearchSchema,
      async handler({ project, body: input, token }) {
        const createdBy = token ? ((await tokenLabels(db, [token.id])).get(token.id) ?? '') : '';
        const saved = await saveSearch(db, project.id, input, createdBy, MAX_SAVED_SEARCHES);
        if (!saved) throw limitReached(MAX_SAVED_SEARCHES, 'saved searches', 'delete one');
        return { status: 201, body: saved };
      },
    }),
    route({
      method: 'DELETE',
      path: `${base}/{searchId}`,
      summary: 'Delete a saved search.',
      access: 'admin',
      async handler({ project, params }) {
        if (!(await deleteSavedSearch(db, project.id, params.searchId ?? ''))) throw notFound(`saved search ${params.searchId ?? ''}`);
        return { status: 204 };
      },
    }),
  ];
}
