import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import * as forExpress from '../../../adapters/express/index.js';
import * as forKoa from '../../../adapters/koa/index.js';
import type { Auth, IssueInput, TokenVerifier } from '../../../src/index.js';

/** How the attacked app is built. */
export interface AppOptions {
  /** What `authenticate` trusts; the token router's `auth` by default. */
  readonly verifier?: TokenVerifier;
  /** `authenticate` options of `/api/me`. */
  readonly protect?: { readonly optional?: boolean; readonly checkSession?: boolean };
  /** Cookie mode of the token router. */
  readonly cookie?: forExpress.CookieOptions;
  /** A second token router, in cookie mode, under `/web` (the fuzzer attacks both modes at once). */
  readonly webCookie?: forExpress.CookieOptions;
}

/** An app listening on 127.0.0.1. */
export interface RunningApp {
  readonly name: 'Express 5' | 'Koa 3';
  readonly url: string;
  close(): Promise<void>;
}

export const ALICE = { username: 'alice', password: 'alice-password' };

/** The app's own credential check: alice with her password, granted `read`. */
export function login(body: forExpress.BodyParameters): IssueInput | null {
  return body['username'] === ALICE.username && body['password'] === ALICE.password ? { subject: 'alice', scope: 'read' } : null;
}

/**
 * An Express 5 app as its README shows it: the token router under `/auth`,
 * `/api/me` protected, `/api/admin` requiring the `admin` scope, and an error
 * handler that logs like a real app (so a leaked token would show in the logs).
 */
export function expressApp(auth: Auth, options: AppOptions = {}): RequestListener {
  const app = express();
  const verifier = options.verifier ?? auth;
  app.use('/auth', forExpress.tokenRouter(auth, { login: ({ body }) => login(body), ...(options.cookie ? { cookie: options.cookie } : {}) }));
  if (options.webCookie) app.use('/web', forExpress.tokenRouter(auth, { login: ({ body }) => login(body), cookie: options.webCookie }));
  const answer = (req: express.Request, res: express.Response) => void res.json({ subject: req.auth?.subject ?? null });
  app.all('/api/me', forExpress.authenticate(verifier, options.protect), answer);
  app.all('/api/admin', forExpress.authenticate(verifier, { scope: 'admin' }), answer);
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error('express app error', error);
    res.status(500).json({ error: 'server_error' });
  });
  return app;
}

/** The same app on Koa 3: the router first, then `authenticate` in front of everything else. */
export function koaApp(auth: Auth, options: AppOptions = {}): RequestListener {
  const app = new Koa();
  const verifier = options.verifier ?? auth;
  app.on('error', (error: unknown) => console.error('koa app error', error));
  app.use(forKoa.tokenRouter(auth, { prefix: '/auth', login: ({ body }) => login(body), ...(options.cookie ? { cookie: options.cookie } : {}) }));
  if (options.webCookie) app.use(forKoa.tokenRouter(auth, { prefix: '/web', login: ({ body }) => login(body), cookie: options.webCookie }));
  const everywhere = forKoa.authenticate(verifier, options.protect);
  const admin = forKoa.authenticate(verifier, { scope: 'admin' });
  app.use((ctx, next) => (ctx.path === '/api/admin' ? admin(ctx, next) : everywhere(ctx, next)));
  app.use((ctx) => {
    ctx.body = { subject: ctx.state.auth?.subject ?? null };
  });
  return app.callback();
}

/** Listens on 127.0.0.1 on a free port. */
export async function listen(handler: RequestListener): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Both adapters, serving the same core. */
export async function startApps(auth: Auth, options: AppOptions = {}): Promise<RunningApp[]> {
  const express5 = await listen(expressApp(auth, options));
  const koa3 = await listen(koaApp(auth, options));
  return [
    { name: 'Express 5', url: express5.url, close: express5.close },
    { name: 'Koa 3', url: koa3.url, close: koa3.close },
  ];
}

/** Closes what {@link startApps} started. */
export async function closeApps(apps: readonly RunningApp[]): Promise<void> {
  await Promise.all(apps.map((app) => app.close()));
}
