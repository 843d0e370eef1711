/**
 * ClickHouse's RowBinary format, written straight into one growing Buffer: each value in column order,
 * integers little-endian, strings as a LEB128 length and their UTF-8 bytes, arrays and maps as a LEB128 count
 * and their elements. chDB parses it without any text scanning, which is most of what a JSON insert costs.
 */
export class RowBinaryWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value, this.pos);
    this.pos += 4;
  }

  /** Int64 / UInt64 / DateTime64 ticks (two's complement, so one writer serves both signs). */
  i64(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, value), this.pos);
    this.pos += 8;
  }

  varint(value: number): void {
    this.ensure(5);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  string(value: string): void {
    const n = value.length;
    // Short ASCII strings (ids, keys, most values) are copied by hand: cheaper than a call into the encoder.
    if (n < 128) {
      this.ensure(n * 3 + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    this.longString(value);
  }

  private longString(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the length prefix at most 5 bytes below 2^35.
    this.ensure(value.length * 3 + 5);
    const written = this.buf.write(value, this.pos + 5, 'utf8');
    let prefix = 1;
    for (let v = written; v >= 0x80; v = Math.floor(v / 128)) prefix++;
    if (prefix !== 5) this.buf.copyWithin(this.pos + prefix, this.pos + 5, this.pos + 5 + written);
    this.varint(written);
    this.pos += written;
  }

  /**
   * Writes a count that is only known after the elements: one byte is reserved, and the rare count of 128 or
   * more moves the elements to make room for a longer prefix.
   */
  counted(write: () => number): void {
    this.ensure(1);
    const at = this.pos++;
    const count = write();
    if (count < 0x80) {
      this.buf[at] = count;
      return;
    }
    let prefix = 1;
    for (let v = count; v >= 0x80; v = Math.floor(v / 128)) prefix++;
    this.ensure(prefix - 1);
    this.buf.copyWithin(at + prefix, at + 1, this.pos);
    const end = this.pos + prefix - 1;
    this.pos = at;
    this.varint(count);
    this.pos = end;
  }

  /** The bytes written so far (a view: the writer must not be used afterwards). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
