/**
 * ISO-8601 times in requests (`start`, `end`, the search box's `lastSeen:>…`), read without `Date.parse`: it reads
 * a date-time without a zone in the server's local zone (docs/api.md promises UTC, so the same URL meant other
 * hours on a server outside UTC) and takes text that is no ISO-8601 at all (`Dec 3 2026`; `-1` as 2001-01-01).
 */

// Date, optionally `T` (or a space, as RFC 3339 allows) + hh:mm[:ss[.fraction]] + zone. The zone's `+` may arrive as a space: a client that did
// not encode `?start=2026-12-03T10:00:00+01:00` sends a `+`, which URL query decoding turns into a space.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+\- ]\d{2}(?::?\d{2})?)?)?$/;

/** Minutes east of UTC of `Z`, `+01:00`, `-0530`, ` 02` (a decoded `+`); null when out of range. */
function zoneMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Unix milliseconds of an ISO-8601 date (its UTC midnight) or date-time (UTC without a zone), or null. */
export function parseIsoTime(text: string): number | null {
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  const zone = zoneMinutes(m[8]);
  if (zone === null || hour > 23 || minute > 59 || second > 59) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  // setUTCFullYear rolls 2026-02-30 over into March: a day the month does not have is no date.
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return null;
  const fractionMs = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  return utc.getTime() + ((hour * 60 + minute - zone) * 60 + second) * 1000 + fractionMs;
}
