import { describe, expect, test } from 'vitest';
import { normalizeTokens, tokenRole } from './model.ts';

describe('API token listing', () => {
  test('normalizeTokens keeps well-formed rows in order', () => {
    expect(
      normalizeTokens({
        tokens: [
          { id: 'a1', role: 'admin', label: 'alice', createdAt: '2024-05-01T10:00:00.000Z', revoked: false },
          { id: 'r2', role: 'read', createdAt: '2024-05-02T10:00:00.000Z', revoked: true },
        ],
      }),
    ).toEqual([
      { id: 'a1', role: 'admin', label: 'alice', createdAt: '2024-05-01T10:00:00.000Z', revoked: false },
      { id: 'r2', role: 'read', label: '', createdAt: '2024-05-02T10:00:00.000Z', revoked: true },
    ]);
  });

  test('normalizeTokens: untrusted shapes become safe rows; no id or a repeated id is dropped', () => {
    expect(normalizeTokens(null)).toEqual([]);
    expect(normalizeTokens({ tokens: 'nope' })).toEqual([]);
    expect(
      normalizeTokens({
        tokens: [
          null,
          { role: 'read' },
          { id: '', role: 'read' },
          { id: 7, role: 'owner', label: { name: 'x' }, createdAt: { at: 1 }, revoked: 'true' },
          { id: 'x', role: 'read', revoked: true },
          { id: 'x', role: 'admin', revoked: false },
        ],
      }),
    ).toEqual([
      { id: '7', role: 'admin', label: '', createdAt: '', revoked: false },
      { id: 'x', role: 'read', label: '', createdAt: '', revoked: true },
    ]);
  });

  test('tokenRole: only an exact read is read-only', () => {
    expect(tokenRole('read')).toBe('read');
    expect(tokenRole('admin')).toBe('admin');
    expect(tokenRole('READ')).toBe('admin');
    expect(tokenRole(undefined)).toBe('admin');
  });
});
