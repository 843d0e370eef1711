import type { LogRecord } from '@faultline/proto';

/** A valid log record with overridable fields, for tests (an INFO "hello" outside any trace). */
export function makeLog(overrides: Partial<LogRecord> = {}): LogRecord {
  const time = overrides.timeUnixNano ?? BigInt(Date.now()) * 1_000_000n;
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    serviceName: 'checkout',
    resource: { 'service.name': 'checkout' },
    scope: { name: 'logger', version: '', attributes: {} },
    ...overrides,
  };
}
