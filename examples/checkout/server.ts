/**
 * Checkout example: a static page that uses the browser bridge, and this node:http backend that uses the
 * Node bridge. POST /api/checkout fails (the payment provider declines), so one click produces a trace from
 * the button through the backend, plus an issue on each side. Run with `npm run example`.
 */
import { config } from './instrument.ts';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureException, shutdown } from '@faultline/sdk-bridge/node';
import { chargeCard, PaymentDeclinedError, type CartItem } from './payments.ts';

const publicDir = join(import.meta.dirname, 'public');
const bundle = fileURLToPath(import.meta.resolve('@faultline/sdk-bridge/faultline.browser.js'));

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<{ user?: { id?: string; email?: string; username?: string }; items?: CartItem[] }> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as object) : {};
}

/** What the page needs to start the browser bridge; the ingest key can only write, so it may be public. */
function configScript(): string {
  const faultline = {
    endpoint: config.browserEndpoint,
    key: config.key,
    serviceName: 'checkout-web',
    release: config.release,
    environment: config.environment,
  };
  const user = { id: 'u-1001', email: 'ada@example.com', username: 'ada' };
  return `window.CHECKOUT_CONFIG = ${JSON.stringify({ faultline, user })};\n`;
}

async function checkout(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  const body = await readJson(req);
  const items = body.items ?? [];
  console.log(`checkout started: ${items.length} item(s) for user ${body.user?.id ?? 'anonymous'}`);
  try {
    await chargeCard(`http://127.0.0.1:${port}/provider/charge`, items);
    send(res, 200, 'application/json', JSON.stringify({ ok: true }));
  } catch (err) {
    // A handled failure: report it with the user it happened to, answer 500, keep serving.
    const { traceId } = captureException(err, { user: body.user, tags: { 'http.route': '/api/checkout' } });
    const status = err instanceof PaymentDeclinedError ? 502 : 500;
    send(res, status, 'application/json', JSON.stringify({ error: (err as Error).message, traceId }));
  }
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const port = (server.address() as { port: number }).port;
  if (req.method === 'POST' && path === '/api/checkout') {
    checkout(req, res, port).catch((err: unknown) => send(res, 500, 'text/plain', String(err)));
  } else if (req.method === 'POST' && path === '/provider/charge') {
    send(res, 402, 'application/json', JSON.stringify({ code: 'card_declined' }));
  } else if (path === '/config.js') {
    send(res, 200, 'text/javascript', configScript());
  } else if (path === '/faultline.browser.js') {
    send(res, 200, 'text/javascript', readFileSync(bundle));
  } else if (path === '/app.js') {
    send(res, 200, 'text/javascript', readFileSync(join(publicDir, 'app.js')));
  } else if (req.method === 'GET' && (path === '/' || path === '/checkout')) {
    send(res, 200, 'text/html; charset=utf-8', readFileSync(join(publicDir, 'index.html')));
  } else {
    send(res, 404, 'text/plain', 'not found');
  }
});

server.listen(config.port, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  // The test harness reads this line to find the port when PORT=0.
  console.log(`checkout example listening on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void shutdown().then(() => process.exit(0));
  });
}
