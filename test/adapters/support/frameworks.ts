import type { RequestListener } from 'node:http';
import express from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';
import * as forExpress from '../../../adapters/express/index.js';
import * as forKoa from '../../../adapters/koa/index.js';
import type { Auth, IssueInput, TokenVerifier } from '../../../src/index.js';

/** The app a test needs: `authenticate` on `/api/me`, and the token router under `/auth`. */
export interface AppSetup {
  readonly verifier: TokenVerifier;
  readonly protect?: forExpress.AuthenticateOptions & forKoa.AuthenticateOptions;
  readonly router?: {
    readonly auth: Auth;
    readonly login?: (body: forExpress.BodyParameters) => IssueInput | null | Promise<IssueInput | null>;
    readonly cookie?: forExpress.CookieOptions;
    readonly maxBodySize?: number;
  };
}

/** One framework at one major version, building the same app. */
export interface Framework {
  readonly name: string;
  readonly kind: 'express' | 'koa';
  app(setup: AppSetup): RequestListener;
}

/** alice / alice-password logs in, with the scope the body asks for. */
export function demoLogin(body: forExpress.BodyParameters): IssueInput | null {
  if (body['username'] !== 'alice' || body['password'] !== 'alice-password') return null;
  return { subject: 'alice', ...(typeof body['scope'] === 'string' ? { scope: body['scope'] } : {}) };
}

function expressApp(createApp: typeof express): (setup: AppSetup) => RequestListener {
  return (setup) => {
    const app = createApp();
    const router = setup.router;
    if (router !== undefined) {
      const login = router.login ?? demoLogin;
      app.use('/auth', forExpress.tokenRouter(router.auth, { ...router, login: ({ body }) => login(body) }));
    }
    app.all('/api/me', forExpress.authenticate(setup.verifier, setup.protect), (req, res) => {
      res.json({ method: req.method, auth: req.auth ?? null });
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ handledBy: 'express', message: error.message });
    });
    return app;
  };
}

function koaApp(KoaClass: typeof Koa): (setup: AppSetup) => RequestListener {
  return (setup) => {
    const app = new KoaClass();
    app.silent = true;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 500;
        ctx.body = { handledBy: 'koa', message: (error as Error).message };
      }
    });
    const router = setup.router;
    if (router !== undefined) {
      const login = router.login ?? demoLogin;
      app.use(forKoa.tokenRouter(router.auth, { ...router, prefix: '/auth', login: ({ body }) => login(body) }));
    }
    const guard = forKoa.authenticate(setup.verifier, setup.protect);
    app.use(async (ctx, next) => (ctx.path === '/api/me' ? guard(ctx, next) : next()));
    app.use((ctx) => {
      ctx.body = { method: ctx.method, auth: ctx.state.auth ?? null };
    });
    return app.callback();
  };
}

/** Express 5 and 4, Koa 3 and 2: every behaviour test runs over all four. */
export const frameworks: readonly Framework[] = [
  { name: 'Express 5', kind: 'express', app: expressApp(express) },
  { name: 'Express 4', kind: 'express', app: expressApp(express4 as typeof express) },
  { name: 'Koa 3', kind: 'koa', app: koaApp(Koa) },
  { name: 'Koa 2', kind: 'koa', app: koaApp(Koa2 as typeof Koa) },
];
