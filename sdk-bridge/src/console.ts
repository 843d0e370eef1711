import type { BreadcrumbInput, BreadcrumbLevel } from './breadcrumbs.ts';

const METHODS = { debug: 'debug', info: 'info', log: 'log', warn: 'warning', error: 'error' } as const satisfies Record<
  string,
  BreadcrumbLevel
>;
type Method = keyof typeof METHODS;
type ConsoleLike = Pick<Console, Method>;

/**
 * Wraps console.{debug,info,log,warn,error} so every call also leaves a `console` breadcrumb; the original
 * method still runs with the original arguments. Returns the function that puts the originals back.
 * `format` turns the arguments into the message (util.format in Node, a plain join in browsers).
 */
export function wrapConsole(target: ConsoleLike, format: (args: unknown[]) => string, add: (crumb: BreadcrumbInput) => void): () => void {
  const originals = new Map<Method, (...args: unknown[]) => void>();
  // A breadcrumb that logs (a bad toString, a diag logger) must not recurse back into itself.
  let inside = false;
  for (const method of Object.keys(METHODS) as Method[]) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    originals.set(method, original);
    target[method] = function wrapped(this: unknown, ...args: unknown[]): void {
      if (!inside) {
        inside = true;
        try {
          add({ type: 'debug', category: 'console', level: METHODS[method], message: format(args), data: { logger: 'console' } });
        } catch {
          // Breadcrumbs are best effort; the log line itself must always be written.
        } finally {
          inside = false;
        }
      }
      original.apply(this, args);
    };
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}
