/**
 * The breadcrumb ring buffer, shared by Node and the browser. Breadcrumbs travel as the JSON string attribute
 * `faultline.breadcrumbs` on the exception event, in Sentry's shape, so the collector reads them like
 * Sentry breadcrumbs.
 */

export type BreadcrumbLevel = 'fatal' | 'error' | 'warning' | 'log' | 'info' | 'debug';

export interface Breadcrumb {
  /** Milliseconds since the epoch. */
  timestamp: number;
  type: string;
  category: string;
  message: string;
  level: BreadcrumbLevel;
  data: Record<string, unknown>;
}

export type BreadcrumbInput = Partial<Breadcrumb>;

export const DEFAULT_CAPACITY = 100;
/**
 * The collector cuts attribute strings at 16,384 characters by default, and a cut JSON array is lost whole,
 * so serialization stays under this budget by dropping the oldest breadcrumbs.
 */
export const DEFAULT_MAX_JSON_CHARS = 15_000;
const MAX_MESSAGE_CHARS = 1_024;
const LEVELS = new Set<string>(['fatal', 'error', 'warning', 'log', 'info', 'debug']);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Coerces user input into a well-formed breadcrumb; nothing here may throw inside a console wrapper. */
export function normalizeBreadcrumb(input: BreadcrumbInput, now: number = Date.now()): Breadcrumb {
  const level = typeof input.level === 'string' && LEVELS.has(input.level) ? input.level : 'info';
  const data = typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data) ? { ...input.data } : {};
  return {
    timestamp: typeof input.timestamp === 'number' && Number.isFinite(input.timestamp) ? input.timestamp : now,
    type: typeof input.type === 'string' && input.type !== '' ? input.type : 'default',
    category: typeof input.category === 'string' ? input.category : '',
    message: clip(typeof input.message === 'string' ? input.message : String(input.message ?? ''), MAX_MESSAGE_CHARS),
    level,
    data,
  };
}

/** JSON that never throws: cycles, BigInts and functions become strings instead of failing the capture. */
function safeJson(value: Breadcrumb): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'function' || typeof v === 'symbol') return String(v);
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  } catch {
    return JSON.stringify({ ...value, data: {} });
  }
}

/** A fixed-size ring: adding past capacity overwrites the oldest entry, so memory stays bounded. */
export class BreadcrumbBuffer {
  readonly capacity: number;
  private readonly items: Array<Breadcrumb | undefined>;
  private next = 0;
  private size = 0;

  constructor(capacity: number = DEFAULT_CAPACITY) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.items = new Array<Breadcrumb | undefined>(this.capacity);
  }

  add(input: BreadcrumbInput): Breadcrumb {
    const crumb = normalizeBreadcrumb(input);
    this.items[this.next] = crumb;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return crumb;
  }

  /** A buffer of another size holding the newest of these breadcrumbs (init() may change the size). */
  resized(capacity: number): BreadcrumbBuffer {
    const next = new BreadcrumbBuffer(capacity);
    for (const crumb of this.list()) next.add(crumb);
    return next;
  }

  /** Oldest first, as Sentry lists them. */
  list(): Breadcrumb[] {
    const out: Breadcrumb[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const crumb = this.items[(start + i) % this.capacity];
      if (crumb) out.push(crumb);
    }
    return out;
  }

  get length(): number {
    return this.size;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.size = 0;
  }

  /** The JSON array for `faultline.breadcrumbs`, newest kept first when the budget runs out. */
  serialize(maxChars: number = DEFAULT_MAX_JSON_CHARS): string {
    return serializeBreadcrumbs(this.list(), maxChars);
  }
}

/** `crumbs` (oldest first) as the JSON array for `faultline.breadcrumbs`, dropping the oldest beyond `maxChars`. */
export function serializeBreadcrumbs(crumbs: readonly Breadcrumb[], maxChars: number = DEFAULT_MAX_JSON_CHARS): string {
  const parts: string[] = [];
  let used = 2;
  for (let i = crumbs.length - 1; i >= 0; i--) {
    const crumb = crumbs[i];
    if (!crumb) continue;
    const json = safeJson(crumb);
    if (used + json.length + 1 > maxChars) break;
    used += json.length + 1;
    parts.push(json);
  }
  return `[${parts.reverse().join(',')}]`;
}
