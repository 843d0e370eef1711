/**
 * Fixed bug, kept as a regression test: the 400 for an OTLP/JSON log record whose `body` is not an
 * object names the field `…logRecords[0].body.body`. proto/src/logs.ts readBody: `c.msg(node, 'body')` already
 * throws a ShapeError at path `body`, and the catch around it prefixes `body` once more.
 */
import { decodeLogs } from '@faultline/proto';
import { expect, test } from 'vitest';

test.each([5, '"x"', 'true', '[]'])('a log record body of %s is named once in the error', (wrong) => {
  const body = Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${wrong}}]}]}]}`);
  expect(() => decodeLogs(body, 'json')).toThrow('invalid JSON: resourceLogs[0].scopeLogs[0].logRecords[0].body must be an object');
});
