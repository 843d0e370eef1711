import { describe, expect, test } from 'vitest';
import { enclosingFunctionName, functionNameOfHeader } from './enclosing-function.ts';

describe('functionNameOfHeader', () => {
  test.each<[string, string | null | undefined]>([
    ['export function applyDiscount(order: Order): number ', 'applyDiscount'],
    ['async function* walk(dir) ', 'walk'],
    ['function identity<T>(x: T): T ', 'identity'],
    ['  async total(items) ', 'total'],
    ['  static get size() ', 'size'],
    ['  private async #load(id: string): Promise<Order[]> ', '#load'],
    ['const onClick = (event) => ', 'onClick'],
    ['export const handler: Handler = async (req, res) => ', 'handler'],
    ['  submit: async (form) => ', 'submit'],
    ['const double = x => ', 'double'],
    ['module.exports.render = function () ', 'render'],
    ['  save: function (record) ', 'save'],
    ['items.map((item) => ', null],
    ['export default function () ', null],
    ['new Promise((resolve, reject) => ', null],
    ['  if (amount < 0) ', undefined],
    ['  } else if (retry) ', undefined],
    ['  } catch (err) ', undefined],
    ['for (const x of xs) ', undefined],
    ['const config = ', undefined],
    ['class Cart extends Base ', undefined],
    ['foo.bar(x) ', undefined],
  ])('%s → %s', (header, expected) => {
    expect(functionNameOfHeader(header)).toBe(expected);
  });
});

describe('enclosingFunctionName', () => {
  const source = [
    'export class Cart {', // 1
    '  total(items) {', // 2
    '    const sum = items.reduce((acc, item) => {', // 3
    '      return acc + item.price;', // 4
    '    }, 0);', // 5
    '    if (sum < 0) {', // 6
    "      throw new RangeError('negative');", // 7
    '    }', // 8
    '    return sum;', // 9
    '  }', // 10
    '}', // 11
    'export function checkout(', // 12
    '  cart: Cart,', // 13
    '): number {', // 14
    '  return cart.total([]);', // 15
    '}', // 16
    'run();', // 17
  ];

  test.each<[number, number, string | null]>([
    [7, 6, 'total'],
    [4, 6, ''],
    [9, 4, 'total'],
    [15, 2, 'checkout'],
    [17, 0, null],
  ])('line %i column %i → %s', (line, column, expected) => {
    expect(enclosingFunctionName(source, line, column)).toBe(expected);
  });
});
