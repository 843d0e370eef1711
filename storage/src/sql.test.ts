import { describe, expect, test } from 'vitest';
import { ident, join, sql, typed } from './sql.ts';

describe('sql template', () => {
  test('values become typed parameters, never text', () => {
    const evil = "x' OR 1=1 --";
    const { query, params } = sql`SELECT * FROM ${ident('db', 'spans')} WHERE a = ${evil} AND b = ${typed(5, 'UInt32')}`.render();
    expect(query).toBe('SELECT * FROM `db`.`spans` WHERE a = {p0:String} AND b = {p1:UInt32}');
    expect(params).toEqual({ p0: evil, p1: 5 });
  });

  test('nested fragments number parameters in order', () => {
    const parts = [sql`a = ${1}`, sql`b = ${'x'}`, sql`c IN ${['y', 'z']}`];
    const { query, params } = sql`WHERE ${join(parts, ' AND ')} LIMIT ${typed(3, 'UInt32')}`.render();
    expect(query).toBe('WHERE a = {p0:Int64} AND b = {p1:String} AND c IN {p2:Array(String)} LIMIT {p3:UInt32}');
    expect(params).toEqual({ p0: 1, p1: 'x', p2: ['y', 'z'], p3: 3 });
  });

  test('identifiers and types are validated', () => {
    expect(() => ident('spans; DROP TABLE x')).toThrow(/invalid SQL identifier/);
    expect(() => typed(1, 'String}; DROP')).toThrow(/invalid parameter type/);
    expect(() => sql`${{}}`.render()).toThrow(/cannot infer/);
  });
});
