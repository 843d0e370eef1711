import { chain, type HttpHooks } from './http-breadcrumbs.ts';
import type { Instrumentation, Otel } from './otel.ts';

export const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';
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

/**
 * Optional instrumentation packages come from the application's side (`resolveFrom`), like the SDK, so an
 * application on SDK 3.x gets the 0.30x instrumentations it installed. Loaded only on request: the auto
 * bundle is large, and both are peer dependencies.
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

function autoInstrumentations(otel: Otel, hooks: HttpHooks): Instrumentation[] {
  const auto = requireFromApp<{ getNodeAutoInstrumentations(config?: Record<string, unknown>): Instrumentation[] }>(
    otel,
    AUTO_INSTRUMENTATIONS,
    "instrumentations: 'auto'",
  );
  return auto.getNodeAutoInstrumentations({ [HTTP_INSTRUMENTATION]: hooks });
}

/** The instrumentations `init` registers; `hooks` are the bridge's breadcrumb and export-filter hooks. */
export function chooseInstrumentations(choice: InstrumentationChoice | undefined, otel: Otel, hooks: HttpHooks): Instrumentation[] {
  if (choice === 'none') return [];
  if (choice === 'auto') return autoInstrumentations(otel, hooks);
  const list = choice ?? [];
  const http = list.find((i) => i.instrumentationName === HTTP_INSTRUMENTATION);
  if (http) return list.map((i) => (i === http ? withHttpHooks(i, hooks) : i));
  const { HttpInstrumentation } = requireFromApp<{ HttpInstrumentation: new (config: HttpHooks) => Instrumentation }>(
    otel,
    HTTP_INSTRUMENTATION,
    'HTTP tracing',
  );
  return [new HttpInstrumentation(hooks), ...list];
}
