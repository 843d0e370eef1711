/**
 * The names the query benchmark's synthetic data draws from (seed-spans.ts, seed-errors.ts): 12 services with a
 * fixed call graph, their operations, the peers they call, error types and messages; and pick() / pickNested(),
 * which index these lists inside the generating SQL. The lists go in as query parameters, never as SQL text.
 */
import { sql, typed, type Sql } from '@faultline/storage';

export const SERVICES = [
  'frontend',
  'api-gateway',
  'checkout',
  'cart',
  'payment',
  'shipping',
  'inventory',
  'user',
  'auth',
  'recommendation',
  'email',
  'search',
];
export const LANGUAGES = ['nodejs', 'go', 'java', 'dotnet', 'nodejs', 'go', 'java', 'python', 'go', 'python', 'ruby', 'rust'];
/** Downstream services (indexes into SERVICES, 0-based) each service calls. */
export const DOWNSTREAM = [[1], [8, 6, 2, 7, 9, 11, 3], [3, 4, 5, 6, 10, 7], [6], [], [], [], [8], [], [6], [], [6]];
/** Entry operations (SERVER spans) per service. */
export const SERVER_OPS = [
  ['GET /', 'GET /product/:id', 'GET /cart', 'POST /cart', 'POST /checkout', 'GET /search'],
  [
    'GET /api/products',
    'GET /api/products/:id',
    'POST /api/orders',
    'GET /api/orders/:id',
    'GET /api/users/me',
    'GET /api/recommendations',
  ],
  ['POST /checkout', 'PlaceOrder', 'GET /checkout/:id'],
  ['GetCart', 'AddItem', 'EmptyCart'],
  ['Charge', 'Refund'],
  ['GetQuote', 'ShipOrder'],
  ['CheckStock', 'ReserveItems', 'ListProducts', 'GetProduct'],
  ['GET /users/:id', 'POST /login', 'GET /users/:id/preferences'],
  ['ValidateToken', 'IssueToken'],
  ['ListRecommendations', 'GetSimilar'],
  ['SendOrderConfirmation', 'SendPasswordReset'],
  ['Search', 'Suggest'],
];
/** What each service talks to that sends no spans itself (the service map's 'peer' nodes) and how. */
export const PEERS = [
  'redis',
  'redis',
  'postgresql',
  'redis',
  'stripe-api',
  'postgresql',
  'postgresql',
  'postgresql',
  'redis',
  'mongodb',
  'smtp',
  'elasticsearch',
];
export const CLIENT_OPS = [
  ['redis GET', 'redis SET'],
  ['redis GET', 'redis INCR'],
  ['INSERT orders', 'SELECT orders'],
  ['redis HGETALL', 'redis HSET'],
  ['POST /v1/charges', 'POST /v1/refunds'],
  ['SELECT rates'],
  ['SELECT products', 'UPDATE stock'],
  ['SELECT users', 'UPDATE users'],
  ['redis GET'],
  ['find products'],
  ['SMTP send'],
  ['POST /products/_search'],
];
export const INTERNAL_OPS = [
  'middleware - authenticate',
  'serialize response',
  'validate input',
  'cache lookup',
  'compute totals',
  'render template',
];
export const ERROR_TYPES = [
  'TimeoutError',
  'ConnectionRefusedError',
  'TypeError',
  'ValueError',
  'NullPointerException',
  'KeyError',
  'DeadlineExceeded',
  'RangeError',
];
export const ERROR_MESSAGES = [
  'upstream request timeout',
  'connect ECONNREFUSED 10.0.3.7:5432',
  "Cannot read properties of undefined (reading 'id')",
  'invalid literal for int()',
  'deadline exceeded after 2s',
  'stock level below zero',
];

export const DAY_NS = 86_400_000_000_000;

/**
 * `list[index]` for a 0-based index expression. transform() looks constants up by hash; indexing a constant
 * array (`[…][i]`) would first copy the whole array into every row, which made generation 10× slower.
 */
export function pick(index: Sql, list: readonly string[]): Sql {
  return sql`transform(toUInt32(${index}), ${typed(
    list.map((_, i) => i),
    'Array(UInt32)',
  )}, ${typed(list, 'Array(String)')}, '')`;
}

/** `lists[outer][inner % lists[outer].length]` through one flat transform(). */
export function pickNested(outer: Sql, inner: Sql, lists: readonly (readonly string[])[]): Sql {
  const offsets: number[] = [];
  let at = 0;
  for (const l of lists) {
    offsets.push(at);
    at += l.length;
  }
  const lengths = lists.map((l) => l.length);
  const flat = lists.flat();
  const keys = lists.map((_, i) => i);
  return sql`transform(toUInt32(transform(toUInt32(${outer}), ${typed(keys, 'Array(UInt32)')}, ${typed(offsets, 'Array(UInt32)')}, 0)
    + ${inner} % transform(toUInt32(${outer}), ${typed(keys, 'Array(UInt32)')}, ${typed(lengths, 'Array(UInt32)')}, 1)),
    ${typed(
      flat.map((_, i) => i),
      'Array(UInt32)',
    )}, ${typed(flat, 'Array(String)')}, '')`;
}
