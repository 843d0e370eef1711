import protobuf from 'protobufjs';
import { DecodeError } from './errors.ts';

/**
 * A structural pass over protobuf bytes before protobufjs decodes them. protobufjs trusts the wire
 * type of known fields and bounds nested messages only by the whole buffer, so a wrong wire type or
 * an oversized nested length can decode "successfully" into garbage, and the errors it does throw
 * ("index out of range") say neither where nor what. This pass rejects such input with both.
 */

interface FieldRule {
  name: string;
  wire: number;
  /** Repeated numeric fields may also arrive packed (wire type 2). */
  packable: boolean;
  id: number;
  message: MessageRule | null;
}

interface MessageRule {
  name: string;
  fields: (FieldRule | undefined)[];
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
/** Message nesting allowed; OTLP needs ~6 levels plus 3 per level of nested attribute values. */
const MAX_DEPTH = 100;

const rules = new WeakMap<protobuf.Type, MessageRule>();

function compile(type: protobuf.Type): MessageRule {
  const known = rules.get(type);
  if (known) return known;
  const rule: MessageRule = { name: type.name, fields: [] };
  // Registered before the fields so that recursive types (AnyValue ↔ ArrayValue) terminate.
  rules.set(type, rule);
  for (const field of type.fieldsArray) {
    field.resolve();
    const resolved = field.resolvedType;
    let wire: number;
    let message: MessageRule | null = null;
    if (resolved instanceof protobuf.Type) {
      wire = WIRE_LEN;
      message = compile(resolved);
    } else if (resolved instanceof protobuf.Enum) {
      wire = WIRE_VARINT;
    } else {
      wire = protobuf.types.basic[field.type as keyof typeof protobuf.types.basic];
    }
    const packable = field.repeated && wire !== WIRE_LEN;
    rule.fields[field.id] = { name: field.name, id: field.id, wire, packable, message };
  }
  return rule;
}

/** Throws a DecodeError when `buf` is not a well-formed encoding of `type`. */
export function checkWire(buf: Uint8Array, type: protobuf.Type): void {
  const scan = new Scanner(buf);
  scan.message(compile(type), buf.length, 0);
}

function fail(at: number, problem: string, detail = ''): DecodeError {
  return new DecodeError(`invalid protobuf: ${problem} at byte ${at}${detail === '' ? '' : `: ${detail}`}`);
}

/** Names a field for an error message; built only when there is an error to report. */
function describe(rule: MessageRule, id: number): string {
  const field = rule.fields[id];
  return field ? `field ${field.name} (${id}) of ${rule.name}` : `unknown field ${id} of ${rule.name}`;
}

class Scanner {
  readonly buf: Uint8Array;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  message(rule: MessageRule, end: number, depth: number): void {
    if (depth > MAX_DEPTH) throw fail(this.pos, 'messages nested too deeply');
    while (this.pos < end) {
      const at = this.pos;
      const tag = this.varint(end);
      if (tag > 0xffffffff) throw fail(at, 'invalid tag', `in ${rule.name}`);
      const id = tag >>> 3;
      const wire = tag & 7;
      if (id === 0) throw fail(at, 'invalid field number 0', `in ${rule.name}`);
      const field = rule.fields[id];
      if (field === undefined || (wire === field.wire && wire !== WIRE_LEN)) {
        this.skip(wire, end, at, rule, id);
      } else if (wire === field.wire) {
        const stop = this.length(end, at, rule, id);
        if (field.message) this.message(field.message, stop, depth + 1);
        this.pos = stop;
      } else if (wire === WIRE_LEN && field.packable) {
        this.packed(field, rule, end, at);
      } else {
        throw fail(at, `wrong wire type ${wire}`, `${describe(rule, id)} expects wire type ${field.wire}`);
      }
    }
  }

  private packed(field: FieldRule, rule: MessageRule, end: number, at: number): void {
    const stop = this.length(end, at, rule, field.id);
    const size = stop - this.pos;
    const unit = field.wire === WIRE_I64 ? 8 : field.wire === WIRE_I32 ? 4 : 1;
    if (size % unit !== 0) {
      throw fail(at, 'malformed packed field', `packed ${describe(rule, field.id)} is not a multiple of ${unit} bytes`);
    }
    if (field.wire === WIRE_VARINT) while (this.pos < stop) this.varint(stop);
    this.pos = stop;
  }

  /** Reads a varint (tags and lengths fit in a double exactly; larger values are only skipped). */
  private varint(end: number): number {
    // Tags and most lengths are a single byte.
    const first = this.pos < end ? (this.buf[this.pos] as number) : 0x80;
    if (first < 0x80) {
      this.pos++;
      return first;
    }
    return this.longVarint(end);
  }

  private longVarint(end: number): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw fail(start, 'index out of range', 'varint runs past the end of the message');
      const b = this.buf[this.pos++] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw fail(start, 'malformed varint', 'longer than 10 bytes');
  }

  /** Reads a length prefix and returns where the delimited bytes end. */
  private length(end: number, at: number, rule: MessageRule, id: number): number {
    const len = this.varint(end);
    const left = end - this.pos;
    if (len > left) {
      throw fail(at, 'index out of range', `${describe(rule, id)} declares ${len} bytes but only ${left} remain`);
    }
    return this.pos + len;
  }

  private skip(wire: number, end: number, at: number, rule: MessageRule, id: number): void {
    let size: number;
    switch (wire) {
      case WIRE_VARINT:
        this.varint(end);
        return;
      case WIRE_I64:
        size = 8;
        break;
      case WIRE_I32:
        size = 4;
        break;
      case WIRE_LEN:
        this.pos = this.length(end, at, rule, id);
        return;
      default:
        // Groups (3, 4) cannot occur in proto3 messages; 6 and 7 are not wire types at all.
        throw fail(at, `invalid wire type ${wire}`, describe(rule, id));
    }
    if (this.pos + size > end) {
      const left = end - this.pos;
      throw fail(at, 'index out of range', `${describe(rule, id)} needs ${size} bytes but only ${left} remain`);
    }
    this.pos += size;
  }
}
