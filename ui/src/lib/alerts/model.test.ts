import { describe, expect, test } from 'vitest';
import {
  bodyFromForm,
  emptyForm,
  filtersText,
  formErrors,
  formFromRule,
  kindText,
  normalizeFirings,
  normalizeRules,
  outcomeText,
  webhookOrigin,
} from './model.ts';

const spike = {
  id: 'r1',
  name: 'Checkout spikes',
  kind: 'issue_spike',
  threshold: 50,
  windowMinutes: 10,
  environment: 'prod',
  level: 'error',
  service: null,
  webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret',
  createdAt: '2026-12-02T06:41:20.000Z',
};

describe('alert rules', () => {
  test('normalizeRules keeps well-formed rules in order', () => {
    const plain = { ...spike, id: 'r2', kind: 'new_issue', threshold: null, windowMinutes: null, environment: null, level: null };
    expect(normalizeRules({ alerts: [spike, plain] })).toEqual([spike, plain]);
  });

  test('normalizeRules: untrusted shapes become safe rows; no id or a repeated id is dropped', () => {
    expect(normalizeRules(null)).toEqual([]);
    expect(normalizeRules({ alerts: 'nope' })).toEqual([]);
    // what a rule's missing or bad fields become
    const safe = { name: '', threshold: null, windowMinutes: null, environment: null, level: null, service: null, webhookUrl: '', createdAt: '' };
    expect(
      normalizeRules({
        alerts: [
          null,
          { name: 'no id' },
          { id: '', kind: 'new_issue' },
          // spike numbers only for spikes; bad numbers and empty filters become null
          { id: 7, kind: 'regression', threshold: 5, windowMinutes: 5, environment: '', level: 3, webhookUrl: { u: 1 } },
          { id: 's', kind: 'issue_spike', threshold: -1, windowMinutes: 2.5 },
          { id: 's', kind: 'new_issue' },
          // a service only on service rules
          { id: 'e', kind: 'service_error_rate', threshold: 5, windowMinutes: 10, service: 'checkout' },
          { id: 'n', kind: 'new_issue', service: 'checkout' },
        ],
      }),
    ).toEqual([
      { ...safe, id: '7', kind: 'regression' },
      { ...safe, id: 's', kind: 'issue_spike' },
      { ...safe, id: 'e', kind: 'service_error_rate', threshold: 5, windowMinutes: 10, service: 'checkout' },
      { ...safe, id: 'n', kind: 'new_issue' },
    ]);
  });

  test('kind, filters and webhook origin as listed', () => {
    expect(kindText(spike)).toBe('Spike: ≥ 50 events in 10 min');
    expect(kindText({ kind: 'new_issue', threshold: null, windowMinutes: null })).toBe('New issue');
    expect(kindText({ kind: 'regression', threshold: null, windowMinutes: null })).toBe('Regression');
    expect(kindText({ kind: 'issue_spike', threshold: null, windowMinutes: null })).toBe('Spike: ≥ ? events in ? min');
    expect(kindText({ kind: 'future_kind', threshold: null, windowMinutes: null })).toBe('future_kind');
    expect(kindText({ kind: 'service_error_rate', threshold: 5, windowMinutes: 10 })).toBe('Error rate ≥ 5 % in 10 min');
    expect(kindText({ kind: 'service_latency_p95', threshold: 800, windowMinutes: 5 })).toBe('p95 ≥ 800 ms in 5 min');
    expect(filtersText(spike)).toBe('env prod · level error');
    const none = { kind: 'new_issue', environment: null, level: null, service: null };
    expect(filtersText({ ...none, level: 'fatal' })).toBe('level fatal');
    expect(filtersText(none)).toBe('all events');
    expect(filtersText({ ...none, kind: 'service_latency_p95', service: 'checkout' })).toBe('service checkout');
    expect(filtersText({ ...none, kind: 'service_error_rate' })).toBe('each service');
    // the path (a secret) never shows; a read token's masked URL gives the same origin
    expect(webhookOrigin(spike.webhookUrl)).toBe('https://hooks.slack.com');
    expect(webhookOrigin('http://127.0.0.1:9000/…')).toBe('http://127.0.0.1:9000');
    expect(webhookOrigin('not a url')).toBe('…');
    expect(webhookOrigin('')).toBe('…');
  });
});

describe('firings', () => {
  test('normalizeFirings: unknown status is pending, never delivered; missing keys are derived, repeats dropped', () => {
    expect(normalizeFirings(undefined)).toEqual([]);
    // a complete, well-formed firing passes unchanged
    const delivered = {
      issueId: 'i1',
      service: null,
      issueTitle: 'TypeError: x is undefined',
      dedupeKey: 'new_issue:i1',
      status: 'delivered',
      httpStatus: 200,
      attempts: 1,
      error: null,
      firedAt: 't1',
      finishedAt: 't2',
    };
    expect(
      normalizeFirings({
        firings: [
          { ...delivered },
          { issueId: '', dedupeKey: 'test:1', status: 'failed', httpStatus: null, attempts: '3', error: 'ECONNREFUSED', firedAt: 't3' },
          { issueId: 'i2', status: 'sent', httpStatus: 0, attempts: -2, firedAt: 't4' },
          { issueId: 'i1', dedupeKey: 'new_issue:i1', status: 'failed' },
          'junk',
        ],
      }),
    ).toEqual([
      delivered,
      {
        issueId: null,
        service: null,
        issueTitle: null,
        dedupeKey: 'test:1',
        status: 'failed',
        httpStatus: null,
        attempts: 3,
        error: 'ECONNREFUSED',
        firedAt: 't3',
        finishedAt: null,
      },
      { issueId: 'i2', service: null, issueTitle: null, dedupeKey: 't4:i2', status: 'pending', httpStatus: null, attempts: 0, error: null, firedAt: 't4', finishedAt: null },
      { issueId: null, service: null, issueTitle: null, dedupeKey: ':', status: 'pending', httpStatus: null, attempts: 0, error: null, firedAt: '', finishedAt: null },
    ]);
  });

  test('outcomeText', () => {
    expect(outcomeText({ status: 'delivered', httpStatus: 200, attempts: 1, error: null })).toBe('delivered · HTTP 200 · 1 attempt');
    expect(outcomeText({ status: 'failed', httpStatus: 500, attempts: 3, error: 'HTTP 500' })).toBe('failed · HTTP 500 · 3 attempts');
    expect(outcomeText({ status: 'failed', httpStatus: null, attempts: 1, error: 'timeout' })).toBe('failed · 1 attempt · timeout');
  });
});

describe('rule form', () => {
  test('bodyFromForm: numbers for spikes only, empty filters clear, odd text goes as typed for the API to judge', () => {
    expect(bodyFromForm({ ...emptyForm(), name: 'New', webhookUrl: ' http://h/x ', threshold: '5' })).toEqual({
      name: 'New',
      kind: 'new_issue',
      threshold: null,
      windowMinutes: null,
      environment: null,
      level: null,
      service: null,
      webhookUrl: 'http://h/x',
    });
    expect(bodyFromForm({ ...formFromRule(normalizeRules({ alerts: [spike] })[0]!), threshold: ' 12 ', windowMinutes: 'ten' })).toEqual({
      ...spike,
      id: undefined,
      createdAt: undefined,
      threshold: 12,
      windowMinutes: 'ten',
    });
    expect(bodyFromForm({ ...emptyForm(), kind: 'issue_spike', threshold: '1.5', windowMinutes: '' })).toMatchObject({
      threshold: 1.5,
      windowMinutes: null,
    });
    // a service rule sends its numbers and service, never the issue filters left in the form by another kind
    const form = { ...emptyForm(), kind: 'service_latency_p95', threshold: '800', windowMinutes: '5', environment: 'prod', level: 'error', service: ' checkout ' };
    expect(bodyFromForm(form)).toMatchObject({ threshold: 800, windowMinutes: 5, environment: null, level: null, service: 'checkout' });
    expect(bodyFromForm({ ...form, kind: 'new_issue' })).toMatchObject({ threshold: null, environment: 'prod', level: 'error', service: null });
  });

  test('formErrors puts each 400 message next to its field', () => {
    expect(formErrors('body field "threshold": must be positive; body field "webhookUrl": must be an http:// or https:// URL')).toEqual({
      fields: { threshold: ['must be positive'], webhookUrl: ['must be an http:// or https:// URL'] },
      other: [],
    });
    expect(
      formErrors('body field "threshold": an issue_spike rule needs "threshold" (events) and "windowMinutes"').fields.threshold,
    ).toEqual(['an issue_spike rule needs "threshold" (events) and "windowMinutes"']);
    expect(formErrors('body field: unrecognized key "extra"')).toEqual({ fields: {}, other: ['body field: unrecognized key "extra"'] });
    expect(formErrors('this token is read-only')).toEqual({ fields: {}, other: ['this token is read-only'] });
  });
});
