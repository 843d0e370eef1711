import { chain, type HttpHooks } from './http-breadcrumbs.ts';
import type { Instrumentation, Otel } from './otel.ts';
import { undiciHooks, type UndiciHooks } from './undici-hooks.ts';

export const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';
// The global fetch is undici, which node:http's instrumentation never sees.
export const UNDICI_INSTRUMENTATION = '@opentelemetry/instrumentation-undici';
const AUTO_INSTRUMENTATIONS = '@opentelemetry/auto-instrumentations-node';

export type InstrumentationChoice = 'auto' | 'none' | Instrumentation[];

/** Adds the bridge's hooks to a user's own HttpInstrumentation without losing theirs. */
function withHttpHooks(instrumentation: Instrumentation, ours: HttpHooks): Instrumentation {
  const config = instrumentation.getConfig() as HttpHooks;
  const theirIgnore = config.ignoreOutgoingRequestHook;
  instrumentation.setConfig({
    ...config,
    requestHook: chain(config.requestHook, ours.requestHook),
    responseHook: chain(config.responseHook, ours.responseHook),
    ignoreOutgoingRequestHook: (options: Parameters<NonNullable<HttpHooks['ignoreOutgoingRequestHook']>>[0]) =>
      ours.ignoreOutgoingRequestHook?.(options) === true || theirIgnore?.(options) === true,
  });
  return instrumentation;
}

/** Adds the bridge's hook to a user's own UndiciInstrumentation, after theirs (so it sees headers they add). */
function withUndiciHooks(instrumentation: Instrumentation, ours: UndiciHooks): Instrumentation {
  const config = instrumentation.getConfig() as UndiciHooks;
  instrumentation.setConfig({ ...config, requestHook: chain(config.requestHook, ours.requestHook) });
  return instrumentation;
}

/**
 * Instrumentation packages come from the application's side (`resolveFrom`), like the SDK, so an application on
 * SDK 3.x gets the 3.x-line instrumentations it installed. Loaded only when chosen: the auto bundle is large,
 * and all of them are peer dependencies.
 */
function requireFromApp<T>(otel: Otel, name: string, hint: string): T {
  try {
    return otel.appRequire(name) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(`${hint} needs ${name}, a release made for @opentelemetry/sdk-node ${otel.sdkNodeVersion}: npm install ${name}`, {
      cause: err,
    });
  }
}

function autoInstrumentations(otel: Otel, hooks: HttpHooks, fetchHooks: UndiciHooks): Instrumentation[] {
  const auto = requireFromApp<{ getNodeAutoInstrumentations(config?: Record<string, unknown>): Instrumentation[] }>(
    otel,
    AUTO_INSTRUMENTATIONS,
    "instrumentations: 'auto'",
  );
  return auto.getNodeAutoInstrumentations({ [HTTP_INSTRUMENTATION]: hooks, [UNDICI_INSTRUMENTATION]: fetchHooks });
}

/** The instrumentations `init` registers; `hooks` are the bridge's breadcrumb and export-filter hooks. */
export function chooseInstrumentations(choice: InstrumentationChoice | undefined, otel: Otel, hooks: HttpHooks): Instrumentation[] {
  if (choice === 'none') return [];
  const fetchHooks = undiciHooks(otel.api.isSpanContextValid);
  if (choice === 'auto') return autoInstrumentations(otel, hooks, fetchHooks);
  const list = choice ?? [];
  const http = list.find((i) => i.instrumentationName === HTTP_INSTRUMENTATION);
  const undici = list.find((i) => i.instrumentationName === UNDICI_INSTRUMENTATION);
  const added: Instrumentation[] = [];
  if (!http) {
    const { HttpInstrumentation } = requireFromApp<{ HttpInstrumentation: new (config: HttpHooks) => Instrumentation }>(
      otel,
      HTTP_INSTRUMENTATION,
      'HTTP tracing',
    );
    added.push(new HttpInstrumentation(hooks));
  }
  if (!undici) {
    const { UndiciInstrumentation } = requireFromApp<{ UndiciInstrumentation: new (config: UndiciHooks) => Instrumentation }>(
      otel,
      UNDICI_INSTRUMENTATION,
      'fetch tracing',
    );
    added.push(new UndiciInstrumentation(fetchHooks));
  }
  const own = list.map((i) => (i === http ? withHttpHooks(i, hooks) : i === undici ? withUndiciHooks(i, fetchHooks) : i));
  return [...added, ...own];
}
