import { type Node, within } from './codec.ts';
import type { DecodeContext } from './context.ts';
import { ShapeError, withPath } from './errors.ts';
import type { AttributeValue, Attributes, InstrumentationScope } from './model.ts';

/** Deeper AnyValue nesting than this is refused; real attributes are a few levels deep at most. */
const MAX_VALUE_DEPTH = 32;

function truncate(ctx: DecodeContext, s: string): string {
  if (s.length <= ctx.maxValueLength) return s;
  ctx.stats.truncatedValues++;
  let end = ctx.maxValueLength;
  // Never leave half of a surrogate pair behind.
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/** Assigns without letting a `__proto__` key from the wire replace the object's prototype. */
function put(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Converts an OTLP AnyValue. `limited` applies maxAttributeValueLength to strings (attributes are
 * limited, log bodies are not).
 */
export function anyValue(ctx: DecodeContext, v: Node | undefined, limited: boolean, depth = 0): AttributeValue {
  if (v === undefined) return null;
  const c = ctx.c;
  if (c.has(v, 'stringValue')) {
    const s = c.str(v, 'stringValue');
    return limited ? truncate(ctx, s) : s;
  }
  if (c.has(v, 'intValue')) return c.int64(v, 'intValue');
  if (c.has(v, 'boolValue')) return c.bool(v, 'boolValue');
  if (c.has(v, 'doubleValue')) return c.double(v, 'doubleValue');
  if (depth >= MAX_VALUE_DEPTH) throw new ShapeError('', 'nests values too deeply');
  if (c.has(v, 'arrayValue')) {
    return within(c, v, 'arrayValue', (arr) => {
      const values = c.list(arr, 'values');
      const out: AttributeValue[] = new Array<AttributeValue>(values.length);
      for (let i = 0; i < values.length; i++) {
        try {
          out[i] = anyValue(ctx, values[i], limited, depth + 1);
        } catch (err) {
          throw withPath(err, `values[${i}]`);
        }
      }
      return out;
    });
  }
  if (c.has(v, 'kvlistValue')) {
    return within(c, v, 'kvlistValue', (kv) => keyValues(ctx, c.list(kv, 'values'), 'values', limited, depth + 1));
  }
  if (c.has(v, 'bytesValue')) return c.bytes(v, 'bytesValue');
  return null;
}

function keyValues(
  ctx: DecodeContext,
  list: readonly Node[],
  field: string,
  limited: boolean,
  depth: number,
  max = list.length,
): Attributes {
  const c = ctx.c;
  const out: Attributes = {};
  const n = Math.min(list.length, max);
  for (let i = 0; i < n; i++) {
    const kv = list[i] as Node;
    try {
      const key = c.str(kv, 'key');
      const value = c.msg(kv, 'value');
      try {
        put(out, key, anyValue(ctx, value, limited, depth));
      } catch (err) {
        throw withPath(err, 'value');
      }
    } catch (err) {
      throw withPath(err, `${field}[${i}]`);
    }
  }
  return out;
}

/** Attributes of a resource or scope: value length limited, no per-item count limit. */
export function readAttributes(ctx: DecodeContext, parent: Node, field = 'attributes'): Attributes {
  return keyValues(ctx, ctx.c.list(parent, field), field, true, 0);
}

/**
 * Attributes of an item (span, event, link, log record) with maxAttributesPerItem applied: the first
 * N are kept and the rest is returned as `dropped`, to be added to the item's droppedAttributesCount.
 */
export function readItemAttributes(ctx: DecodeContext, parent: Node): { attributes: Attributes; dropped: number } {
  const list = ctx.c.list(parent, 'attributes');
  const dropped = list.length > ctx.maxAttributes ? list.length - ctx.maxAttributes : 0;
  ctx.stats.droppedAttributes += dropped;
  return { attributes: keyValues(ctx, list, 'attributes', true, 0, list.length - dropped), dropped };
}

export interface ResourceInfo {
  resource: Attributes;
  serviceName: string;
}

/**
 * A resource's attributes are stored with every item it sends, so maxAttributesPerItem bounds them too (the rest
 * counted as dropped), keeping `service.name` whatever its position: it names the service.
 */
function limitResource(ctx: DecodeContext, all: Attributes): Attributes {
  const keys = Object.keys(all);
  if (keys.length <= ctx.maxAttributes) return all;
  const kept: Attributes = {};
  for (const key of keys.slice(0, ctx.maxAttributes)) kept[key] = all[key] as Attributes[string];
  if ('service.name' in all) kept['service.name'] = all['service.name'] as Attributes[string];
  ctx.stats.droppedAttributes += keys.length - Object.keys(kept).length;
  return kept;
}

/** Reads the `resource` of a ResourceSpans / ResourceLogs / ResourceMetrics. */
export function readResource(ctx: DecodeContext, parent: Node): ResourceInfo {
  const resource = limitResource(ctx, within(ctx.c, parent, 'resource', (r) => readAttributes(ctx, r)));
  const name = resource['service.name'];
  return { resource, serviceName: typeof name === 'string' && name !== '' ? name : 'unknown_service' };
}

/** Reads the `scope` of a ScopeSpans / ScopeLogs / ScopeMetrics (absent = unknown, empty name). */
export function readScope(ctx: DecodeContext, parent: Node): InstrumentationScope {
  const c = ctx.c;
  return within(c, parent, 'scope', (s) => ({
    name: c.str(s, 'name'),
    version: c.str(s, 'version'),
    attributes: readAttributes(ctx, s),
  }));
}
