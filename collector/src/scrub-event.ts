/** Scrubbing of error events (collector/src/scrub.ts holds the rules; this applies them to an event's fields). */
import type { ErrorEvent } from '@faultline/proto';
import { startPass, type Pass, type ScrubOptions } from './scrub.ts';

/** Header values by the key rule (Authorization, X-Api-Key, …); cookie headers never reach here (request.ts). */
function scrubHeaders(pass: Pass, headers: Record<string, string>): Record<string, string> {
  return pass.record(headers, 0);
}

/**
 * Scrubs in place; returns how many values were replaced. Stack frames keep their code (context lines are
 * what makes an error debuggable) and the transaction, like a span name, is kept for grouping. The user is
 * kept too: the IP address and email identify affected users for the "users affected" counts and lookups.
 * The request's URL, query string, headers and body and `extra` follow the usual rules (`token=` in a query,
 * a `password` key in a body or in extra); `modules` are package versions and are kept.
 */
export function scrubErrorEvent(event: ErrorEvent, opts: ScrubOptions): number {
  const pass = startPass(opts);
  if (!pass) return 0;
  event.message = pass.text(event.message);
  for (const exception of event.exceptions) exception.value = pass.text(exception.value);
  event.tags = pass.record(event.tags, 0);
  event.contexts = pass.record(event.contexts, 0);
  for (const crumb of event.breadcrumbs) {
    crumb.message = pass.text(crumb.message);
    crumb.data = pass.record(crumb.data, 0);
  }
  if (event.request) {
    const r = event.request;
    event.request = {
      ...r,
      url: pass.text(r.url),
      queryString: pass.text(r.queryString),
      headers: scrubHeaders(pass, r.headers),
      data: pass.value(r.data, 0),
    };
  }
  if (event.extra) event.extra = pass.record(event.extra, 0);
  return pass.count;
}
