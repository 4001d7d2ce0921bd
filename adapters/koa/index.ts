/**
 * `tokenlease/koa`: RFC 6750 bearer authentication and the token endpoints
 * for Koa 2 and 3.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { createAuth } from 'tokenlease'
 * import { authenticate, tokenRouter } from 'tokenlease/koa'
 *
 * const auth = createAuth({ issuer: 'https://api.example.com', audience: 'api', keys: { secret: process.env.JWT_SECRET! } })
 * const app = new Koa()
 * app.use(tokenRouter(auth, { prefix: '/auth', login: async ({ body }) => (await checkPassword(body)) ? { subject: String(body.username) } : null }))
 * app.use(authenticate(auth))
 * app.use((ctx) => { ctx.body = { subject: ctx.state.auth?.subject } })
 * ```
 *
 * @packageDocumentation
 */
import type { VerifiedToken } from '../../src/index.js';

export { authenticate, type AuthenticateOptions } from './authenticate.js';
export {
  jwksHandler,
  loginHandler,
  logoutHandler,
  revokeHandler,
  tokenHandler,
  tokenRouter,
  type HandlerOptions,
  type LoginHandlerOptions,
  type LoginInput,
  type TokenRouterOptions,
} from './token-router.js';
export type { AuthenticateBaseOptions, BodyParameters, CookieOptions, TokenEndpointBaseOptions } from '../http/index.js';

/** The state `authenticate` fills, for apps that type their own state: `new Koa<AuthState>()`. */
export interface AuthState {
  /** The verified access token; absent on an anonymous request of an `optional` route. */
  auth?: VerifiedToken;
}

declare module 'koa' {
  interface DefaultState extends AuthState {}
}
