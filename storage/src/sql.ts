/**
 * The only way SQL is built in Faultline: a tagged template whose interpolations become ClickHouse query
 * parameters (`{p0:String}`), never text. Identifiers and trusted fragments are explicit wrappers, so a
 * value can never change the shape of a statement.
 */

/** A ClickHouse type used in a parameter placeholder, e.g. `String`, `UInt32`, `Array(String)`. */
export type ParamType = string;

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\([A-Za-z0-9_, ()']*\))?$/;
const IDENT_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Typed {
  readonly value: unknown;
  readonly type: ParamType;
  constructor(value: unknown, type: ParamType) {
    if (!TYPE_PATTERN.test(type)) throw new Error(`invalid parameter type: ${type}`);
    this.value = value;
    this.type = type;
  }
}

class Ident {
  readonly parts: readonly string[];
  constructor(parts: readonly string[]) {
    for (const part of parts) {
      if (!IDENT_PATTERN.test(part)) throw new Error(`invalid SQL identifier: ${part}`);
    }
    this.parts = parts;
  }
}

/** A rendered statement: text with placeholders plus the parameter values. */
export class Sql {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.strings = strings;
    this.values = values;
  }

  /** Renders placeholders named p0, p1, … and returns the text and the `query_params` object. */
  render(): { query: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = {};
    const query = this.renderInto(params, { next: 0 });
    return { query, params };
  }

  private renderInto(params: Record<string, unknown>, counter: { next: number }): string {
    let out = this.strings[0] ?? '';
    for (let i = 0; i < this.values.length; i++) {
      out += renderValue(this.values[i], params, counter) + (this.strings[i + 1] ?? '');
    }
    return out;
  }

  /** @internal used when a fragment is nested in another statement. */
  renderFragment(params: Record<string, unknown>, counter: { next: number }): string {
    return this.renderInto(params, counter);
  }
}

function renderValue(value: unknown, params: Record<string, unknown>, counter: { next: number }): string {
  if (value instanceof Sql) return value.renderFragment(params, counter);
  if (value instanceof Ident) return value.parts.map((p) => `\`${p}\``).join('.');
  const typed = value instanceof Typed ? value : new Typed(value, inferType(value));
  const name = `p${counter.next++}`;
  params[name] = typed.value;
  return `{${name}:${typed.type}}`;
}

function inferType(value: unknown): ParamType {
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Bool';
    case 'bigint':
      return 'Int64';
    case 'number':
      return Number.isInteger(value) ? 'Int64' : 'Float64';
    default:
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return 'Array(String)';
      throw new Error(`cannot infer a ClickHouse type for parameter ${String(value)}; use typed()`);
  }
}

/** Tagged template: `sql\`SELECT * FROM t WHERE id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Bounds of `Int64` / `UInt64` parameters: a decoded cursor past them was wrapped by ClickHouse, not refused. */
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** A parameter with an explicit ClickHouse type, e.g. `typed(ns, 'UInt64')`. */
export function typed(value: unknown, type: ParamType): Typed {
  return new Typed(value, type);
}

/** A validated identifier (database, table or column name) quoted with backticks; `ident('db', 't')` = `db`.`t`. */
export function ident(...parts: string[]): Ident {
  return new Ident(parts);
}

export type { Ident };

/** Joins fragments with a separator (the separator is code, never data). */
export function join(parts: readonly Sql[], separator: ', ' | ' AND ' | ' OR ' | ' UNION ALL ' | '\n'): Sql {
  if (parts.length === 0) return new Sql([''], []);
  const strings: string[] = [''];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (i > 0) strings[strings.length - 1] += separator;
    values.push(part);
    strings.push('');
  });
  return new Sql(strings, values);
}

/** An empty fragment, handy for optional clauses. */
export const empty = new Sql([''], []);
