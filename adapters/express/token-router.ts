import express, { type Request, type RequestHandler, type Router } from 'express';
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
import { expressHandler } from './express-exchange.js';

/** What the app's `login` receives: the parsed form or JSON body, and the Express request. */
export interface LoginInput {
  /** The parsed form or JSON body of the login request. */
  readonly body: BodyParameters;
  /** The Express request, for headers or the client address. */
  readonly req: Request;
}

/** Options of {@link loginHandler}. */
export interface LoginHandlerOptions extends TokenEndpointBaseOptions {
  /**
   * Checks the credentials: returns who logs in (`{ subject, claims?, scope? }`),
   * or `null` for a 401 `{"error":"invalid_credentials"}`. A tokenlease error
   * it throws is answered; any other goes to `next(err)`.
   */
  readonly login: (input: LoginInput) => Promise<IssueInput | null | undefined> | IssueInput | null | undefined;
}

/** Options of {@link tokenRouter}. */
export type TokenRouterOptions = LoginHandlerOptions;

/**
 * An Express router with the token endpoints, to mount under any prefix:
 * `POST /login`, `POST /token` (refresh grant), `POST /revoke` (RFC 7009),
 * `POST /logout` and `GET /jwks.json`. It parses its own bodies (form or JSON,
 * 16 KiB by default) and needs no body parser.
 *
 * @example
 * ```ts
 * app.use('/auth', tokenRouter(auth, {
 *   login: async ({ body }) => (await checkPassword(body.username, body.password)) ? { subject: String(body.username) } : null,
 * }))
 * ```
 */
export function tokenRouter(auth: Auth, options: TokenRouterOptions): Router {
  const router = express.Router();
  router.all('/login', loginHandler(auth, options));
  router.all('/token', tokenHandler(auth, options));
  router.all('/revoke', revokeHandler(auth, options));
  router.all('/logout', logoutHandler(auth, options));
  router.all('/jwks.json', jwksHandler(auth));
  return router;
}

/**
 * `POST /login` alone: calls `login`, starts a session, answers RFC 6749 section 5.1.
 *
 * @example
 * ```ts
 * app.post('/auth/login', loginHandler(auth, { login: ({ body }) => (check(body) ? { subject: String(body.username) } : null) }))
 * ```
 */
export function loginHandler(auth: Auth, options: LoginHandlerOptions): RequestHandler {
  const login = options.login;
  if (typeof login !== 'function') throw new ConfigurationError('login', 'must be a function');
  const endpoint = loginEndpoint(resolveTokenEndpointOptions(auth, options), (body, req: Request) => login({ body, req }));
  return expressHandler(endpoint);
}

/**
 * `POST /token` alone: the refresh grant, for an app that routes itself.
 *
 * @example
 * ```ts
 * app.post('/oauth/token', tokenHandler(auth))
 * ```
 */
export function tokenHandler(auth: Auth, options: TokenEndpointBaseOptions = {}): RequestHandler {
  return expressHandler(tokenEndpoint(resolveTokenEndpointOptions(auth, options)));
}

/**
 * `POST /revoke` alone (RFC 7009).
 *
 * @example
 * ```ts
 * app.post('/oauth/revoke', revokeHandler(auth))
 * ```
 */
export function revokeHandler(auth: Auth, options: TokenEndpointBaseOptions = {}): RequestHandler {
  return expressHandler(revokeEndpoint(resolveTokenEndpointOptions(auth, options)));
}

/**
 * `POST /logout` alone: revokes the session of the presented refresh token or cookie (204).
 *
 * @example
 * ```ts
 * app.post('/auth/logout', logoutHandler(auth))
 * ```
 */
export function logoutHandler(auth: Auth, options: TokenEndpointBaseOptions = {}): RequestHandler {
  return expressHandler(logoutEndpoint(resolveTokenEndpointOptions(auth, options)));
}

/**
 * `GET /jwks.json` alone: the public verification keys.
 *
 * @example
 * ```ts
 * app.get('/.well-known/jwks.json', jwksHandler(auth))
 * ```
 */
export function jwksHandler(auth: Auth): RequestHandler {
  return expressHandler(jwksEndpoint(resolveTokenEndpointOptions(auth, {})));
}
