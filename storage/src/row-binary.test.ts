import { expect, test } from 'vitest';
import { infileStatement } from './binary-insert.ts';
import { RowBinaryWriter } from './row-binary.ts';

function bytes(write: (w: RowBinaryWriter) => void, initial = 4): number[] {
  const w = new RowBinaryWriter(initial);
  write(w);
  return [...w.finish()];
}

test('lengths and counts are LEB128 at every width', () => {
  expect(bytes((w) => w.varint(0))).toEqual([0]);
  expect(bytes((w) => w.varint(127))).toEqual([127]);
  expect(bytes((w) => w.varint(128))).toEqual([0x80, 1]);
  expect(bytes((w) => w.varint(16_384))).toEqual([0x80, 0x80, 1]);
  expect(bytes((w) => w.varint(2 ** 32))).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
});

test('strings: ASCII, multi-byte and long ones get their UTF-8 byte length', () => {
  for (const text of ['', 'abc', 'é', '🚀x', 'a'.repeat(127), 'a'.repeat(128), 'é'.repeat(100), 'ü'.repeat(10_000)]) {
    const out = Buffer.from(bytes((w) => w.string(text)));
    const utf8 = Buffer.from(text);
    let length = 0;
    let shift = 0;
    let at = 0;
    for (;;) {
      const b = out[at++] ?? 0;
      length += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    expect(length).toBe(utf8.length);
    expect(out.subarray(at).equals(utf8)).toBe(true);
  }
});

test('a count written after its elements makes room when it needs more than one byte', () => {
  const out = bytes((w) => {
    w.u8(9);
    w.counted(() => {
      for (let i = 0; i < 300; i++) w.u8(i & 0xff);
      return 300;
    });
    w.u8(7);
  });
  expect(out.slice(0, 3)).toEqual([9, 0xac, 0x02]);
  expect(out).toHaveLength(1 + 2 + 300 + 1);
  expect(out[3]).toBe(0);
  expect(out[302]).toBe(299 & 0xff);
  expect(out[303]).toBe(7);
});

test('integers are little-endian, 64-bit ones two’s complement', () => {
  expect(bytes((w) => w.u32(0x01020304))).toEqual([4, 3, 2, 1]);
  expect(bytes((w) => w.i64(2n ** 64n - 1n))).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  expect(bytes((w) => w.i64(1n))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
});

test('the INFILE statement quotes its path and refuses odd names', () => {
  expect(infileStatement('faultline.spans', ['TraceId', 'Events.Name'], "/d/it's\\x.bin", { max_execution_time: '0' })).toBe(
    "INSERT INTO `faultline`.`spans` (`TraceId`, `Events.Name`) FROM INFILE '/d/it\\'s\\\\x.bin' SETTINGS max_execution_time = 0 FORMAT RowBinary",
  );
  expect(() => infileStatement('spans; DROP', ['a'], '/x', {})).toThrow(/invalid table/);
  expect(() => infileStatement('faultline.spans', ['a`b'], '/x', {})).toThrow(/invalid column/);
  expect(() => infileStatement('faultline.spans', ['a'], '/x', { x: '1; DROP' })).toThrow(/invalid insert setting/);
});
