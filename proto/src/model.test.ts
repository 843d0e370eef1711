import { expect, test } from 'vitest';
import { SpanKind } from './model.ts';
test('kinds', () => { expect(SpanKind.SERVER).toBe(2); });
