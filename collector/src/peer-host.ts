import type { Attributes } from '@faultline/proto';

/** Attributes naming the host a client called, newest semantic conventions first. */
const HOST_KEYS = ['server.address', 'net.peer.name', 'http.host'];
const URL_KEYS = ['url.full', 'http.url'];

/** `example.com:8443` → `example.com`, `[::1]:80` → `::1`; a bare IPv6 address stays whole. */
function withoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.indexOf(':');
  return colon > 0 && colon === host.lastIndexOf(':') ? host.slice(0, colon) : host;
}

/**
 * The host a CLIENT span called when it names no peer service: `server.address` (current semantic conventions),
 * else the older `net.peer.name` or `http.host`, else the host of `url.full` / `http.url`. Lower-cased and without a
 * port, so one host is one node however its callers spell it (DNS names are case-insensitive).
 */
export function calledHost(attributes: Attributes): string | undefined {
  for (const k of HOST_KEYS) {
    const v = attributes[k];
    if (typeof v === 'string' && v !== '') return withoutPort(v.trim()).toLowerCase() || undefined;
  }
  for (const k of URL_KEYS) {
    const v = attributes[k];
    if (typeof v !== 'string' || v === '') continue;
    // Only URLs with a host: a relative or malformed one (a scrubbed value) names no host.
    if (!URL.canParse(v)) return undefined;
    const host = new URL(v).hostname;
    return host === '' ? undefined : withoutPort(host).toLowerCase();
  }
  return undefined;
}
