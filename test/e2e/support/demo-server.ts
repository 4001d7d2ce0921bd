import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionEvent } from '../../../src/index.js';
import { TEST_SECRET } from '../../support/test-clock.js';

/** What examples/express/server.js exports (plain JavaScript: typed here, at the test boundary). */
interface ExpressExample {
  createApp(options: {
    dbPath: string;
    secret: string;
    issuer: string;
    origins: string[];
    accessTokenTtl: number;
    onEvent: (event: SessionEvent) => void;
  }): { app: RequestListener; ready: Promise<void>; close(): Promise<void> };
}

/** The Express example served on loopback, as the page sees it. */
export interface DemoServer {
  /** `http://localhost:PORT`: Chromium keeps `Secure` cookies on localhost over plain HTTP. */
  readonly url: string;
  /** Every session event of the server's `auth`, in order. */
  readonly events: SessionEvent[];
  /**
   * Holds the next `count` requests to `POST /web/auth/token` until all have
   * arrived, then lets them through together: a browser sends its cookie when a
   * request leaves, so every held request carries the same refresh token.
   * Resolves when they are let through.
   */
  holdRefreshes(count: number): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = resolve(import.meta.dirname, '../../../examples/express/server.js');

/** Starts the example in this process with a SQLite file in `folder`, as `node server.js` would. */
export async function startDemo(folder: string, accessTokenTtl: number): Promise<DemoServer> {
  const module = (await import(pathToFileURL(SCRIPT).href)) as ExpressExample;
  const events: SessionEvent[] = [];
  let gate: { count: number; held: (() => void)[]; open: () => void } | undefined;
  let app: RequestListener = () => undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const current = gate;
    if (current === undefined || req.method !== 'POST' || req.url !== '/web/auth/token') return app(req, res);
    current.held.push(() => app(req, res));
    if (current.held.length < current.count) return undefined;
    gate = undefined;
    for (const release of current.held) release();
    current.open();
    return undefined;
  });
  // The page's origin holds the port, so the app is built once the port is known (as server.js does).
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const example = module.createApp({
    dbPath: join(folder, `demo-${accessTokenTtl}s.db`),
    secret: TEST_SECRET,
    issuer: url,
    origins: [url],
    accessTokenTtl,
    onEvent: (event) => events.push(event),
  });
  app = example.app;
  await example.ready;

  return {
    url,
    events,
    holdRefreshes: (count) => new Promise<void>((open) => (gate = { count, held: [], open })),
    async close() {
      server.closeAllConnections();
      await new Promise((resolveClose) => server.close(resolveClose));
      await example.close();
    },
  };
}
