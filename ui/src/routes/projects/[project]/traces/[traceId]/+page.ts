import { prefetchTraceHead } from '#lib/waterfall/load.ts';
import type { PageLoad } from './$types';

// Starts the trace's first request while the page is still being set up; the page takes it over.
// Nothing is awaited here, so navigation never waits on the API.
export const load: PageLoad = ({ params }) => {
  prefetchTraceHead(params.project, params.traceId);
};
