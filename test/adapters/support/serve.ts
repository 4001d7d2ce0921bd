import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

const servers = new Set<Server>();

afterEach(async () => {
  await Promise.all([...servers].map(close));
  servers.clear();
});

/** Serves a handler on 127.0.0.1 until the end of the test; returns its base URL. */
export async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
