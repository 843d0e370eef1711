/** The request body is not a valid export request at all; nothing in it can be accepted. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** The request holds more items than `maxItemsPerRequest`; the sender should split it. */
export class TooManyItemsError extends DecodeError {
  override name = 'TooManyItemsError';
  readonly limit: number;

  constructor(what: string, limit: number) {
    super(`too many ${what} in one request: more than ${limit} (maxItemsPerRequest)`);
    this.limit = limit;
  }
}

/**
 * A JSON value of the wrong type. Raised deep inside the walk with only the field name; every level
 * above prefixes its own segment on the way out, so the path costs nothing unless something is wrong.
 */
export class ShapeError extends Error {
  override name = 'ShapeError';
  path: string;
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

/** Prefixes `segment` to the path of a ShapeError passing through; other errors pass unchanged. */
export function withPath(err: unknown, segment: string): unknown {
  if (err instanceof ShapeError) {
    err.path = err.path === '' ? segment : err.path.startsWith('[') ? segment + err.path : `${segment}.${err.path}`;
  }
  return err;
}

/** Turns what escaped a decode walk into the public error type. */
export function toDecodeError(err: unknown, format: 'protobuf' | 'json'): unknown {
  if (err instanceof DecodeError) return err;
  if (err instanceof ShapeError) {
    const where = err.path === '' ? 'request' : err.path;
    return new DecodeError(`invalid ${format === 'json' ? 'JSON' : 'protobuf'}: ${where} ${err.problem}`);
  }
  // Deeply nested values can exhaust the stack before our own depth limit is reached.
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new DecodeError(`invalid ${format === 'json' ? 'JSON' : 'protobuf'}: values nested too deeply`);
  }
  return err;
}
