import { z } from 'zod';
import { SUGGEST_SAMPLE_SPANS, suggestAttributeKeys, suggestAttributeValues, type Database } from '@faultline/storage';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';
import { spanFilterInput, spanFilterParams, spanFilterQuery } from './traces.ts';

// What the trace search's attribute filter suggests (docs/api.md, `span-attributes`): the keys and values the
// range's spans carry, sampled by the storage reader (attribute-suggest.ts in @faultline/storage).

const limit = SUGGEST_SAMPLE_SPANS.toLocaleString('en');
const sample = `the spans meeting the filters in the range's newest clock hours that hold ${limit} spans (a quiet range: all of it), at most ${limit} of them`;

export function attributeSuggestRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/span-attributes',
      summary: `Attribute keys to filter a trace search by, most common first: span attributes and resource attributes (\`resource: true\`) of ${sample}. Takes the filters of a trace search.`,
      access: 'read',
      query: spanFilterQuery.extend({ limit: limitParam(500, 100) }),
      extraQuery: spanFilterParams,
      response: z.object({ keys: z.array(z.object({ key: z.string(), spans: z.number(), resource: z.boolean() })) }),
      async handler({ query, project, searchParams }) {
        return { body: { keys: await suggestAttributeKeys(db, spanFilterInput(query, searchParams, project.id), query.limit) } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/span-attributes/values',
      summary: `Values of one attribute key (the span's, else its resource's), most common first, among ${sample}. Takes the filters of a trace search.`,
      access: 'read',
      query: spanFilterQuery.extend({ key: z.string().min(1, 'must not be empty').max(256), limit: limitParam(200, 50) }),
      extraQuery: spanFilterParams,
      response: z.object({ key: z.string(), values: z.array(z.object({ value: z.string(), spans: z.number() })) }),
      async handler({ query, project, searchParams }) {
        const values = await suggestAttributeValues(db, spanFilterInput(query, searchParams, project.id), query.key, query.limit);
        return { body: { key: query.key, values } };
      },
    }),
  ];
}
