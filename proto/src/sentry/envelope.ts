/**
 * Splits a Sentry envelope (https://develop.sentry.dev/sdk/data-model/envelopes/) into its items without
 * interpreting their payloads. One broken item must not cost the items before it, so item-level trouble
 * is reported in `problems`; only an unusable envelope header throws.
 */
import { SentryFormatError } from './errors.ts';
import { type Obj, eventIdOf, isObject, str } from './values.ts';

export interface EnvelopeHeader {
  /** Lower-case 32-hex id of the event the envelope carries, or ''. */
  eventId: string;
  /** The DSN the SDK was configured with ('' unless it sends one, as tunnels and some SDKs do). */
  dsn: string;
  /** RFC 3339 time the SDK sent the envelope ('' when absent); lets the caller correct clock drift. */
  sentAt: string;
  sdk: { name: string; version: string } | null;
  /** The header as sent, for fields read elsewhere (e.g. `trace`, the dynamic sampling context). */
  raw: Obj;
}

export interface EnvelopeItem {
  /** `event`, `transaction`, `session`, `sessions`, `attachment`, `client_report`, … (unknown ones too). */
  type: string;
  /** The item header as sent, including `type` and `length`. */
  headers: Obj;
  /** The payload bytes: a view into the request body, not a copy. */
  payload: Uint8Array;
}

export interface EnvelopeLimits {
  /** Larger items are skipped (Relay allows 1 MiB for event and transaction items). */
  maxItemBytes: number;
  /**
   * An envelope with more items is refused whole, before any is read: SDKs send a few (an event and its
   * attachments, a session aggregate, client reports), and every item costs a parse on the event loop.
   */
  maxItems: number;
}

export interface ParsedEnvelope {
  header: EnvelopeHeader;
  items: EnvelopeItem[];
  /** One reason per item that was skipped, or for the point where parsing had to stop. */
  problems: string[];
}

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8');

function lineEnd(body: Uint8Array, from: number): number {
  const end = body.indexOf(NEWLINE, from);
  return end === -1 ? body.length : end;
}

/** The JSON object on one header line, or why there is none. */
function parseHeaderLine(line: Uint8Array): Obj | string {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(line));
  } catch (err) {
    return `is not valid JSON (${(err as Error).message})`;
  }
  return isObject(value) ? value : 'is not a JSON object';
}

function readEnvelopeHeader(line: Uint8Array): EnvelopeHeader {
  const raw = parseHeaderLine(line);
  if (typeof raw === 'string') throw new SentryFormatError(`envelope header ${raw}`);
  let eventId = '';
  if (raw.event_id !== undefined && raw.event_id !== null) {
    const id = eventIdOf(raw.event_id);
    if (id === null) throw new SentryFormatError(`envelope header event_id ${JSON.stringify(raw.event_id)} is not a UUID`);
    eventId = id;
  }
  if (raw.dsn !== undefined && raw.dsn !== null && typeof raw.dsn !== 'string') {
    throw new SentryFormatError('envelope header dsn must be a string');
  }
  const sdk = isObject(raw.sdk) ? { name: str(raw.sdk.name), version: str(raw.sdk.version) } : null;
  return { eventId, dsn: str(raw.dsn), sentAt: str(raw.sent_at), sdk, raw };
}

/** Where the payload that starts at `start` ends (exclusive), or why that cannot be known. */
function payloadEnd(body: Uint8Array, start: number, headers: Obj): number | string {
  const length = headers.length;
  if (length === undefined || length === null) return lineEnd(body, start);
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    return `length ${JSON.stringify(length)} is not a byte count`;
  }
  const remaining = Math.max(body.length - start, 0);
  if (length > remaining) return `length ${length} runs past the end of the envelope (${remaining} bytes left)`;
  return start + length;
}

/**
 * The envelope's header line alone (its DSN names the key when no auth header does), so a request can be
 * authenticated before its items are parsed. Throws SentryFormatError as parseEnvelope does for the header.
 */
export function parseEnvelopeHeader(body: Uint8Array): EnvelopeHeader {
  if (body.length === 0) throw new SentryFormatError('envelope is empty');
  return readEnvelopeHeader(body.subarray(0, lineEnd(body, 0)));
}

/** Parses an envelope body. Throws SentryFormatError when the body or its header line is unusable. */
export function parseEnvelope(body: Uint8Array, limits: EnvelopeLimits): ParsedEnvelope {
  const header = parseEnvelopeHeader(body);
  const firstEnd = lineEnd(body, 0);
  const items: EnvelopeItem[] = [];
  const problems: string[] = [];
  let pos = firstEnd + 1;
  for (let index = 0; pos < body.length;) {
    const headerEnd = lineEnd(body, pos);
    const line = body.subarray(pos, headerEnd);
    // Blank lines between items (and a trailing newline) carry nothing.
    if (utf8.decode(line).trim() === '') {
      pos = headerEnd + 1;
      continue;
    }
    if (index === limits.maxItems) throw new SentryFormatError(`envelope has more than ${limits.maxItems} items, the limit for one envelope`);
    const headers = parseHeaderLine(line);
    // Without a readable header the payload's extent is unknown, so nothing after it can be trusted.
    if (typeof headers === 'string') {
      problems.push(`item ${index}: header ${headers}; ignored the rest of the envelope`);
      break;
    }
    const start = headerEnd + 1;
    const end = payloadEnd(body, start, headers);
    if (typeof end === 'string') {
      problems.push(`item ${index}: ${end}; ignored the rest of the envelope`);
      break;
    }
    const payload = body.subarray(Math.min(start, body.length), end);
    // A payload of explicit length may be followed by a newline; one found by scanning always consumes it.
    pos = headers.length === undefined || headers.length === null || body[end] === NEWLINE ? end + 1 : end;
    const type = headers.type;
    if (typeof type !== 'string' || type === '') {
      problems.push(`item ${index}: header has no type; skipped`);
    } else if (payload.length > limits.maxItemBytes) {
      problems.push(`item ${index} (${type}): ${payload.length} bytes exceeds the limit of ${limits.maxItemBytes}; skipped`);
    } else {
      items.push({ type, headers, payload });
    }
    index++;
  }
  return { header, items, problems };
}

/** The JSON value in an item's payload (events, transactions, sessions). */
export function parseItemJson(item: EnvelopeItem): unknown {
  if (item.payload.length === 0) throw new SentryFormatError(`${item.type} item is empty`);
  try {
    return JSON.parse(utf8.decode(item.payload));
  } catch (err) {
    throw new SentryFormatError(`${item.type} item is not valid JSON (${(err as Error).message})`);
  }
}
