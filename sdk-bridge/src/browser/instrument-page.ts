/** Page-level spans and breadcrumbs: the document load, route changes (history API) and clicks. */
import type { BreadcrumbInput } from '../breadcrumbs.ts';
import { parseTraceparent, parseTracestate, formatTracestate } from '../traceparent.ts';
import { displayUrl } from './propagation.ts';
import { activateForTask, addEvent, endSpan, startSpan, type RemoteParent } from './tracer.ts';

type Add = (crumb: BreadcrumbInput) => void;

const NAVIGATION_EVENTS = [
  'fetchStart',
  'unloadEventStart',
  'unloadEventEnd',
  'domainLookupStart',
  'domainLookupEnd',
  'connectStart',
  'secureConnectionStart',
  'connectEnd',
  'requestStart',
  'responseStart',
  'responseEnd',
  'domInteractive',
  'domContentLoadedEventStart',
  'domContentLoadedEventEnd',
  'domComplete',
  'loadEventStart',
  'loadEventEnd',
] as const;

const PAINT_EVENTS: Record<string, string> = { 'first-paint': 'firstPaint', 'first-contentful-paint': 'firstContentfulPaint' };

/** A server-rendered `<meta name="traceparent">` makes the page load part of the request's trace. */
export function metaParent(): RemoteParent | null {
  const content = (name: string): string | null => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
  const parent = parseTraceparent(content('traceparent'));
  if (!parent) return null;
  return { traceId: parent.traceId, spanId: parent.spanId, traceState: formatTracestate(parseTracestate(content('tracestate'))) };
}

/** Path and fragment only: queries (and fragments with `=`, as in OAuth redirects) often carry secrets. */
function pathOf(href: string): string {
  try {
    const u = new URL(href);
    return u.pathname + (u.hash.includes('=') ? '' : u.hash);
  } catch {
    return '';
  }
}

/** One `documentLoad` span from the Navigation Timing entry, with a timed event per milestone. */
export function traceDocumentLoad(parent: RemoteParent | null): void {
  const record = (): void => {
    const origin = performance.timeOrigin;
    const nav = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
    const attributes: Record<string, string | number> = {
      'url.full': displayUrl(location.href, location.href),
      'user_agent.original': navigator.userAgent,
    };
    if (nav) {
      attributes['document.navigation_type'] = nav.type;
      if (nav.transferSize > 0) attributes['http.response.body.size'] = nav.transferSize;
    }
    const span = startSpan('documentLoad', { parent, start: origin + (nav?.startTime ?? 0), attributes });
    if (nav) {
      for (const name of NAVIGATION_EVENTS) {
        const at = nav[name];
        if (at > 0) addEvent(span, name, {}, origin + at);
      }
    }
    for (const paint of performance.getEntriesByType?.('paint') ?? []) {
      const name = PAINT_EVENTS[paint.name];
      if (name) addEvent(span, name, {}, origin + paint.startTime);
    }
    endSpan(span, nav && nav.loadEventEnd > 0 ? origin + nav.loadEventEnd : origin + performance.now());
  };
  // loadEventEnd is only filled in after the load handlers have returned, hence the extra task.
  if (document.readyState === 'complete') setTimeout(record, 0);
  else window.addEventListener('load', () => setTimeout(record, 0), { once: true });
}

/** pushState/replaceState/popstate: a `navigation` breadcrumb and a `routeChange` span per URL change. */
export function instrumentHistory(add: Add): () => void {
  let last = location.href;
  const changed = (how: string): void => {
    const to = location.href;
    if (to === last) return;
    const from = last;
    last = to;
    add({ type: 'navigation', category: 'navigation', data: { from: pathOf(from), to: pathOf(to) } });
    const span = startSpan('routeChange', {
      attributes: {
        'url.full': displayUrl(to, to),
        'url.path': pathOf(to),
        'faultline.route.from': pathOf(from),
        'faultline.route.trigger': how,
      },
    });
    // Requests the new route starts in this task become its children and keep it open.
    activateForTask(span);
    endSpan(span);
  };
  const { pushState, replaceState } = history;
  history.pushState = function tracedPushState(this: History, ...args: Parameters<History['pushState']>): void {
    pushState.apply(this, args);
    changed('pushState');
  };
  history.replaceState = function tracedReplaceState(this: History, ...args: Parameters<History['replaceState']>): void {
    replaceState.apply(this, args);
    changed('replaceState');
  };
  const onPop = (): void => changed('popstate');
  window.addEventListener('popstate', onPop);
  return () => {
    history.pushState = pushState;
    history.replaceState = replaceState;
    window.removeEventListener('popstate', onPop);
  };
}

/** A short CSS-like path to the element (`div.cart > button#checkout`), stopping at the first id. */
export function describeElement(el: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = el; node && parts.length < 5 && node !== document.documentElement; node = node.parentElement) {
    let part = node.tagName.toLowerCase();
    if (node.id) part += `#${node.id}`;
    for (const cls of Array.from(node.classList).slice(0, 2)) part += `.${cls}`;
    const testId = node.getAttribute('data-testid');
    if (testId) part += `[data-testid="${testId}"]`;
    parts.unshift(part);
    if (node.id) break;
  }
  return parts.join(' > ');
}

/** Clicks anywhere: a `ui.click` breadcrumb, and a `click` span active while the page handles the click. */
export function instrumentClicks(add: Add): () => void {
  const onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const selector = target ? describeElement(target) : 'unknown';
    add({ type: 'default', category: 'ui.click', message: selector });
    const text = (target?.textContent ?? '').trim().slice(0, 64);
    const span = startSpan('click', {
      attributes: { 'event.type': 'click', 'faultline.target': selector, ...(text ? { 'faultline.target_text': text } : {}) },
    });
    activateForTask(span);
    endSpan(span);
  };
  // Capture phase: the span is active before the page's own handlers run.
  document.addEventListener('click', onClick, true);
  return () => document.removeEventListener('click', onClick, true);
}
