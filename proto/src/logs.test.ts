import { describe, expect, test } from 'vitest';
import { type JsonStyle, type Obj, bytes, encodeRequest, int, jsonBody, jsonRequest, kv, kvlist, str } from './fixtures/otlp.ts';
import { type LogRecord, decodeLogs } from './index.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function logsRequest(): Obj {
  return {
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', str('billing'))] },
        scopeLogs: [
          {
            scope: { name: 'app.logger', version: '2.0' },
            logRecords: [
              {
                timeUnixNano: '1700000000000000001',
                observedTimeUnixNano: '1700000000000000002',
                severityNumber: 17,
                severityText: 'ERROR',
                body: str('payment failed'),
                attributes: [kv('order.id', int(991)), kv('exception.type', str('CardDeclined'))],
                droppedAttributesCount: 1,
                flags: 1,
                traceId: bytes(TRACE),
                spanId: bytes(SPAN),
                eventName: 'payment.failed',
              },
              {
                observedTimeUnixNano: '1700000000000000003',
                body: kvlist(kv('msg', str('structured')), kv('n', int('-7'))),
              },
            ],
          },
        ],
      },
    ],
  };
}

const RESOURCE = { 'service.name': 'billing' };
const SCOPE = { name: 'app.logger', version: '2.0', attributes: {} };

const EXPECTED: LogRecord[] = [
  {
    timeUnixNano: 1700000000000000001n,
    observedTimeUnixNano: 1700000000000000002n,
    severityNumber: 17,
    severityText: 'ERROR',
    body: 'payment failed',
    attributes: { 'order.id': 991, 'exception.type': 'CardDeclined' },
    droppedAttributesCount: 1,
    flags: 1,
    traceId: TRACE,
    spanId: SPAN,
    eventName: 'payment.failed',
    serviceName: 'billing',
    resource: RESOURCE,
    scope: SCOPE,
  },
  {
    timeUnixNano: 0n,
    observedTimeUnixNano: 1700000000000000003n,
    severityNumber: 0,
    severityText: '',
    body: { msg: 'structured', n: -7 },
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    serviceName: 'billing',
    resource: RESOURCE,
    scope: SCOPE,
  },
];

describe('decodeLogs', () => {
  test('protobuf: every field', () => {
    const result = decodeLogs(encodeRequest('logs', logsRequest()), 'protobuf');
    expect(result).toEqual({ items: EXPECTED, rejected: [], stats: { received: 2, truncatedValues: 0, droppedAttributes: 0 } });
  });

  const styles: Record<string, JsonStyle> = {
    canonical: {},
    'upper-case hex, severity as number, int64 as numbers': { upperHex: true, enumNames: false, int64AsNumbers: true },
    'snake_case with unknown fields': { snakeCase: true, unknownFields: true },
  };
  for (const [name, style] of Object.entries(styles)) {
    test(`JSON, ${name}: same records as protobuf`, () => {
      const result = decodeLogs(jsonRequest('logs', logsRequest(), style), 'json');
      expect(result.rejected).toEqual([]);
      expect(result.items).toEqual(EXPECTED);
    });
  }

  test('JSON: severity by name (unknown numbers read as 0), body of any type, no resource', () => {
    const body = jsonBody({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { severityNumber: 'SEVERITY_NUMBER_WARN', body: { arrayValue: { values: [{ boolValue: true }] } } },
                { severity_number: 'SEVERITY_NUMBER_FATAL4', event_name: 'crash' },
                { severityNumber: 300 },
              ],
            },
          ],
        },
      ],
    });
    const { items } = decodeLogs(body, 'json');
    expect(items.map((r) => [r.severityNumber, r.body, r.eventName, r.serviceName])).toEqual([
      [13, [true], '', 'unknown_service'],
      [24, null, 'crash', 'unknown_service'],
      [0, null, '', 'unknown_service'],
    ]);
  });

  test('the body is not cut by maxAttributeValueLength, attributes are', () => {
    const long = 'x'.repeat(50);
    const request = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: str(long), attributes: [kv('a', str(long))] }] }] }] };
    const result = decodeLogs(encodeRequest('logs', request), 'protobuf', { maxAttributeValueLength: 10 });
    expect(result.items[0]?.body).toBe(long);
    expect(result.items[0]?.attributes).toEqual({ a: 'x'.repeat(10) });
    expect(result.stats.truncatedValues).toBe(1);
  });

  test('a record with a severity text only is filed under the level it names; unknown texts stay unspecified', () => {
    const records = ['INFO', 'Warning', 'crit', 'verbose'].map((severityText) => ({ severityText, body: { stringValue: 'x' } }));
    const body = new TextEncoder().encode(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [...records, { severityNumber: 5, severityText: 'ERROR' }] }] }] }));
    const decoded = decodeLogs(body, 'json');
    expect(decoded.items.map((l) => [l.severityText, l.severityNumber])).toEqual([
      ['INFO', 9],
      ['Warning', 13],
      ['crit', 21],
      ['verbose', 0],
      // a number the sender set wins over its text
      ['ERROR', 5],
    ]);
  });
});
