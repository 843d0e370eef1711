import { describe, expect, test } from 'vitest';
import { dotnetTrace } from './fixtures/traces.ts';
import { type FrameRow, rows } from './fixtures/helpers.ts';
import { parseStackTrace } from './stacktrace.ts';
import { parseDotnetFrame } from './stack-dotnet.ts';

describe('.NET Exception.ToString()', () => {
  test('inner exception first, HRESULT dropped, frames split between the levels', () => {
    const chain = parseStackTrace(dotnetTrace(), { language: 'dotnet' });
    expect(chain.map((e) => [e.type, e.value])).toEqual([
      ['Npgsql.PostgresException', '40001: could not serialize access due to concurrent update'],
      ['System.InvalidOperationException', 'Order 4711 could not be placed'],
    ]);
    expect(rows(chain[0]?.frames ?? [])).toEqual<FrameRow[]>([
      ['SaveAsync', 'Shop.Data.OrderRepository', 'OrderRepository.cs', 31, null, true],
      ['ReadMessageLong', 'Npgsql.Internal.NpgsqlConnector', '', null, null, false],
    ]);
    expect(rows(chain[1]?.frames ?? [])).toEqual<FrameRow[]>([
      ['Execute', 'Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor', '', null, null, false],
      ['lambda_method4', '', '', null, null, false],
      ['Post', 'Shop.Api.Controllers.CheckoutController', 'CheckoutController.cs', 17, null, true],
      ['Throw', 'System.Runtime.ExceptionServices.ExceptionDispatchInfo', '', null, null, false],
      ['MoveNext', 'Shop.Checkout.OrderService.<PlaceAsync>d__4', 'OrderService.cs', 42, null, true],
    ]);
    expect(chain[1]?.frames[2]?.absPath).toBe('/src/Shop.Api/Controllers/CheckoutController.cs');
  });

  test('detected without a hint', () => {
    expect(parseStackTrace(dotnetTrace()).map((e) => e.frames.length)).toEqual([2, 5]);
  });

  test.each<[string, FrameRow]>([
    ['   at Shop.Order..ctor(Int32 id) in C:\\src\\Shop\\Order.cs:line 9', ['.ctor', 'Shop.Order', 'Order.cs', 9, null, true]],
    [
      '   at Shop.Jobs.Runner.<>c__DisplayClass2_0.<Run>b__0()',
      ['<Run>b__0', 'Shop.Jobs.Runner.<>c__DisplayClass2_0', '', null, null, true],
    ],
    [
      '   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)',
      ['First[TSource]', 'System.Linq.Enumerable', '', null, null, false],
    ],
  ])('frame %s', (line, expected) => {
    const frame = parseDotnetFrame(line);
    expect(frame && rows([frame])[0]).toEqual(expected);
  });
});
