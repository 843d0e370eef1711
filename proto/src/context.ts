import type { WireCodec, WireFormat } from './codec.ts';
import { jsonCodec } from './codec-json.ts';
import { protobufCodec } from './codec-protobuf.ts';
import { TooManyItemsError } from './errors.ts';

/** Optional caps applied while decoding; all unlimited when absent. */
export interface DecodeLimits {
  /** String attribute values (also nested ones) longer than this are cut to this many characters. */
  maxAttributeValueLength?: number;
  /** Spans, span events, span links and log records keep their first N attributes; the rest count as dropped. */
  maxAttributesPerItem?: number;
  /** More spans / log records / data points than this in one request throws TooManyItemsError. */
  maxItemsPerRequest?: number;
}

/** What decoding saw and changed, for the collector's own metrics. */
export interface DecodeStats {
  /** Items in the request (spans, log records or data points), accepted or rejected. */
  received: number;
  /** String values cut to maxAttributeValueLength. */
  truncatedValues: number;
  /** Attributes removed by maxAttributesPerItem (an item's own also added to its droppedAttributesCount; a resource has none). */
  droppedAttributes: number;
}

/** State shared by one decode walk. */
export interface DecodeContext {
  c: WireCodec;
  maxValueLength: number;
  maxAttributes: number;
  maxItems: number;
  stats: DecodeStats;
}

function limit(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!(value >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

export function createContext(format: WireFormat, limits: DecodeLimits = {}): DecodeContext {
  return {
    c: format === 'json' ? jsonCodec : protobufCodec,
    maxValueLength: limit(limits.maxAttributeValueLength, 'maxAttributeValueLength'),
    maxAttributes: limit(limits.maxAttributesPerItem, 'maxAttributesPerItem'),
    maxItems: limit(limits.maxItemsPerRequest, 'maxItemsPerRequest'),
    stats: { received: 0, truncatedValues: 0, droppedAttributes: 0 },
  };
}

/** Counts one more item and returns its index in the request; throws past maxItemsPerRequest. */
export function nextItem(ctx: DecodeContext, what: string): number {
  const index = ctx.stats.received;
  if (index >= ctx.maxItems) throw new TooManyItemsError(what, ctx.maxItems);
  ctx.stats.received = index + 1;
  return index;
}
