import type { Context, Middleware } from 'koa';
import { ConfigurationError, type Auth, type IssueInput } from '../../src/index.js';
import {
  jwksEndpoint,
  loginEndpoint,
  logoutEndpoint,
  resolveTokenEndpointOptions,
  revokeEndpoint,
  tokenEndpoint,
  type BodyParameters,
  type TokenEndpointBaseOptions,
} from '../http/index.js';
import { koaHandler } from './koa-exchange.js';

/** What the app's `login` receives: the parsed form or JSON body, and the Koa context. */
export interface LoginInput {
  /** The parsed form or JSON body of the login request. */
  readonly body: BodyParameters;
  /** The Koa context, for headers or the client address. */
  readonly ctx: Context;
}

/** Options of {@link loginHandler}. */
export interface LoginHandlerOptions extends TokenEndpointBaseOptions {
  /**
   * Checks the credentials: returns who logs in (`{ subject, claims?, scope? }`),
   * or `null` for a 401 `{"error":"invalid_credentials"}`. A tokenlease error
   * it throws is answered; any other is thrown on.
   */
  readonly login: (input: LoginInput) => Promise<IssueInput | null | undefined> | IssueInput | null | undefined;
}

/** Options of {@link tokenRouter}. */
export interface TokenRouterOptions extends LoginHandlerOptions {
  /** The path the endpoints answer under, such as `/auth`; other requests go to `next()`. @default '' */
  readonly prefix?: string;
}

/**
 * Koa middleware answering the token endpoints under `prefix`, with no router
 * package: `POST /login`, `POST /token` (refresh grant), `POST /revoke`
 * (RFC 7009), `POST /logout` and `GET /jwks.json`. It parses its own bodies
 * (form or JSON, 16 KiB by default) and needs no body parser.
 *
 * @example
 * ```ts
 * app.use(tokenRouter(auth, {
 *   prefix: '/auth',
 *   login: async ({ body }) => (await checkPassword(body.username, body.password)) ? { subject: String(body.username) } : null,
 * }))
 * ```
 */
export function tokenRouter(auth: Auth, options: TokenRouterOptions): Middleware {
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/')))) {
    throw new ConfigurationError('prefix', 'must be empty or a path such as /auth, without a trailing slash');
  }
  const mounted = { ...options, mountPath: prefix || '/' };
  const routes = new Map<string, Middleware>([
    [`${prefix}/login`, loginHandler(auth, mounted)],
    [`${prefix}/token`, tokenHandler(auth, mounted)],
    [`${prefix}/revoke`, revokeHandler(auth, mounted)],
    [`${prefix}/logout`, logoutHandler(auth, mounted)],
    [`${prefix}/jwks.json`, jwksHandler(auth)],
  ]);
  return async (ctx, next) => {
    const route = routes.get(ctx.path);
    return route === undefined ? next() : route(ctx, next);
  };
}

/** Options of a handler used alone. */
export interface HandlerOptions extends TokenEndpointBaseOptions {
  /** Where the handler is mounted: the cookie's default `Path`. @default '/' */
  readonly mountPath?: string;
}

/**
 * `POST /login` alone: calls `login`, starts a session, answers RFC 6749 section 5.1.
 *
 * @example
 * ```ts
 * if (ctx.path === '/auth/login') return loginHandler(auth, { login })(ctx, next)
 * ```
 */
export function loginHandler(auth: Auth, options: LoginHandlerOptions & HandlerOptions): Middleware {
  const login = options.login;
  if (typeof login !== 'function') throw new ConfigurationError('login', 'must be a function');
  const endpoint = loginEndpoint(resolveTokenEndpointOptions(auth, options), (body, ctx: Context) => login({ body, ctx }));
  return koaHandler(endpoint, options.mountPath ?? '/');
}

/**
 * `POST /token` alone: the refresh grant, for an app that routes itself.
 *
 * @example
 * ```ts
 * router.post('/oauth/token', tokenHandler(auth))
 * ```
 */
export function tokenHandler(auth: Auth, options: HandlerOptions = {}): Middleware {
  return koaHandler(tokenEndpoint(resolveTokenEndpointOptions(auth, options)), options.mountPath ?? '/');
}

/**
 * `POST /revoke` alone (RFC 7009).
 *
 * @example
 * ```ts
 * if (ctx.path === '/oauth/revoke') return revokeHandler(auth)(ctx, next)
 * ```
 */
export function revokeHandler(auth: Auth, options: HandlerOptions = {}): Middleware {
  return koaHandler(revokeEndpoint(resolveTokenEndpointOptions(auth, options)), options.mountPath ?? '/');
}

/**
 * `POST /logout` alone: revokes the session of the presented refresh token or cookie (204).
 *
 * @example
 * ```ts
 * if (ctx.path === '/auth/logout') return logoutHandler(auth)(ctx, next)
 * ```
 */
export function logoutHandler(auth: Auth, options: HandlerOptions = {}): Middleware {
  return koaHandler(logoutEndpoint(resolveTokenEndpointOptions(auth, options)), options.mountPath ?? '/');
}

/**
 * `GET /jwks.json` alone: the public verification keys.
 *
 * @example
 * ```ts
 * if (ctx.path === '/.well-known/jwks.json') return jwksHandler(auth)(ctx, next)
 * ```
 */
export function jwksHandler(auth: Auth): Middleware {
  return koaHandler(jwksEndpoint(resolveTokenEndpointOptions(auth, {})), '/');
}
