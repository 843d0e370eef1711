import { describe, expect, test } from 'vitest';
import { describeError, exceptionAttributes } from './exception.ts';

class PaymentError extends Error {}

describe('exception attributes', () => {
  test('type, message and stack of an Error; subclasses are named by their class', () => {
    const err = new TypeError('bad input');
    expect(describeError(err)).toMatchObject({ type: 'TypeError', message: 'bad input' });
    expect(describeError(err).stacktrace).toContain('TypeError: bad input\n    at ');
    expect(describeError(new PaymentError('declined')).type).toBe('PaymentError');
  });

  test('causes are appended as [cause] blocks, as util.inspect prints them', () => {
    const err = new Error('outer', { cause: new RangeError('inner', { cause: new Error('root') }) });
    const stack = describeError(err).stacktrace;
    expect(stack).toMatch(/^Error: outer\n\s+at /);
    expect(stack).toMatch(/\n {2}\[cause\]: RangeError: inner\n {2}\s+at /);
    expect(stack).toMatch(/\n {4}\[cause\]: Error: root\n/);
  });

  test('non-errors are described without a stack', () => {
    expect(describeError('plain string')).toEqual({ type: 'Error', message: 'plain string', stacktrace: '' });
    expect(describeError({ code: 7 })).toEqual({ type: 'Error', message: '{"code":7}', stacktrace: '' });
    expect(describeError(undefined).message).toBe('undefined');
  });

  test('user, tags, fingerprint and breadcrumbs', () => {
    const attrs = exceptionAttributes(
      new Error('x'),
      '[]',
      { id: 'u1', email: 'a@b.c', username: 'ada' },
      { tags: { 'http.route': '/pay', retry: 2 }, fingerprint: ['{{ default }}', 'tenant-7'] },
    );
    expect(attrs).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'x',
      'faultline.breadcrumbs': '[]',
      'user.id': 'u1',
      'user.email': 'a@b.c',
      'user.name': 'ada',
      'http.route': '/pay',
      retry: 2,
      'faultline.fingerprint': ['{{ default }}', 'tenant-7'],
    });
    const override = exceptionAttributes(new Error('x'), '[]', { id: 'u1' }, { user: { id: 'u2' } });
    expect(override['user.id']).toBe('u2');
    expect(exceptionAttributes('x', '[]', null)).not.toHaveProperty('faultline.fingerprint');
  });
});
