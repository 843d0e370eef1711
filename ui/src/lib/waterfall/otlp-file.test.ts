import { describe, expect, it } from 'vitest';
import { parseTraceFile, TraceFileError } from './otlp-file.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const kv = (key: string, value: unknown) => ({ key, value });

const request = {
  resourceSpans: [
    {
      resource: { attributes: [kv('service.name', { stringValue: 'web' }), kv('host.cores', { intValue: '8' })] },
      scopeSpans: [
        {
          scope: { name: 'http', version: '1.2' },
          spans: [
            {
              traceId: TRACE,
              spanId: 'eee19b7ec3c1b174',
              name: 'GET /cart',
              kind: 2,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000040000000',
              attributes: [
                kv('big', { intValue: '9007199254740993' }),
                kv('tags', { arrayValue: { values: [{ stringValue: 'a' }, { doubleValue: 1.5 }] } }),
                kv('m', { kvlistValue: { values: [kv('k', { boolValue: true })] } }),
              ],
              events: [
                { timeUnixNano: '1700000000010000000', name: 'exception', attributes: [kv('exception.type', { stringValue: 'E' })] },
              ],
              status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
            },
            // protobuf-style base64 ids and enum names are read too
            {
              traceId: btoa(String.fromCharCode(...TRACE.match(/../g)!.map((h) => parseInt(h, 16)))),
              spanId: 'AAAAAAAAAAE=',
              parentSpanId: 'eee19b7ec3c1b174',
              name: 'db',
              kind: 'SPAN_KIND_CLIENT',
              startTimeUnixNano: '1700000000005000000',
              endTimeUnixNano: '1700000000004000000',
            },
            { traceId: 'nope', spanId: 'eee19b7ec3c1b174', name: 'no id' },
          ],
        },
      ],
    },
  ],
};

describe('parseTraceFile', () => {
  it('reads an OTLP/JSON export request into the API trace shape', () => {
    const [trace, ...others] = parseTraceFile(JSON.stringify(request));
    expect(others).toEqual([]);
    expect(trace?.traceId).toBe(TRACE);
    const [root, child] = trace?.spans ?? [];
    expect(root).toEqual({
      traceId: TRACE,
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      name: 'GET /cart',
      kind: 'SERVER',
      serviceName: 'web',
      startTimeUnixNano: '1700000000000000000',
      durationNano: '40000000',
      statusCode: 'ERROR',
      statusMessage: 'boom',
      attributes: { big: '9007199254740993', tags: ['a', 1.5], m: { k: true } },
      resource: { 'service.name': 'web', 'host.cores': 8 },
      scope: { name: 'http', version: '1.2' },
      events: [{ timeUnixNano: '1700000000010000000', name: 'exception', attributes: { 'exception.type': 'E' } }],
      links: [],
    });
    // an end before the start is a zero duration, not a negative one
    expect(child).toMatchObject({
      traceId: TRACE,
      spanId: '0000000000000001',
      parentSpanId: 'eee19b7ec3c1b174',
      kind: 'CLIENT',
      durationNano: '0',
      statusCode: 'UNSET',
    });
  });

  it('takes one request per line (collector file exporters) and lists the trace with most spans first', () => {
    const other = structuredClone(request);
    const spans = other.resourceSpans[0]!.scopeSpans[0]!.spans;
    spans.splice(1);
    spans[0]!.traceId = 'a'.repeat(32);
    const traces = parseTraceFile(`${JSON.stringify(other)}\n${JSON.stringify(request)}\n`);
    expect(traces.map((t) => [t.traceId, t.spans.length])).toEqual([
      [TRACE, 2],
      ['a'.repeat(32), 1],
    ]);
  });

  it('says what it expected when the file is not a trace export', () => {
    expect(() => parseTraceFile('<html>')).toThrow(
      new TraceFileError('the file is not JSON: expected an OTLP/JSON export request ({"resourceSpans": [...]})'),
    );
    expect(() => parseTraceFile('{"resourceLogs": []}')).toThrow(/holds no spans/);
  });
});
