import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Serves the built SPA: real files when they exist, else the fallback page so deep links load cold. */
export class StaticUi {
  private readonly root: string;
  private fallback: { body: Buffer; csp: string } | null = null;

  constructor(root: string) {
    this.root = normalize(root);
  }

  private loadFallback(): { body: Buffer; csp: string } | null {
    if (this.fallback) return this.fallback;
    const file = join(this.root, 'index.html');
    if (!existsSync(file)) return null;
    const body = readFileSync(file);
    // Kit writes its CSP (with hashes of its own bootstrap script) as a meta tag; we repeat it as a header.
    const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(body.toString('utf8'));
    this.fallback = { body, csp: meta?.[1] ?? "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'" };
    return this.fallback;
  }

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      decoded = '/';
    }
    const file = normalize(join(this.root, decoded));
    if (file.startsWith(this.root + sep) && existsSync(file) && statSync(file).isFile()) {
      const body = readFileSync(file);
      const immutable = decoded.includes('/_app/immutable/');
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'content-length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const page = this.loadFallback();
    if (!page) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The UI is not built. Run: npm run build -w @faultline/ui');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES['.html'] ?? 'text/html', 'content-security-policy': page.csp, 'content-length': page.body.length });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  }
}
