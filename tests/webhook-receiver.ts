import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver: records every POST by path; `/fail…` paths answer 500. */
export interface Receiver {
  url: string;
  received: Map<string, unknown[]>;
  server: Server;
}

export async function startReceiver(): Promise<Receiver> {
  const received = new Map<string, unknown[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.set(path, [...(received.get(path) ?? []), JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown]);
      res.writeHead(path.startsWith('/fail') ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}
