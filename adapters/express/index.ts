/**
 * `tokenlease/express`: RFC 6750 bearer authentication and the token
 * endpoints for Express 4 and 5.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createAuth } from 'tokenlease'
 * import { authenticate, tokenRouter } from 'tokenlease/express'
 *
 * const auth = createAuth({ issuer: 'https://api.example.com', audience: 'api', keys: { secret: process.env.JWT_SECRET! } })
 * const app = express()
 * app.use('/auth', tokenRouter(auth, { login: async ({ body }) => (await checkPassword(body)) ? { subject: String(body.username) } : null }))
 * app.get('/api/me', authenticate(auth), (req, res) => res.json({ subject: req.auth?.subject }))
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
  type LoginHandlerOptions,
  type LoginInput,
  type TokenRouterOptions,
} from './token-router.js';
export type { AuthenticateBaseOptions, BodyParameters, CookieOptions, TokenEndpointBaseOptions } from '../http/index.js';

// The global `Express.Request` (which every version of Express's types extends) rather than a
// module augmentation of 'express-serve-static-core', which strict installs (pnpm) may not resolve.
declare global {
  namespace Express {
    interface Request {
      /** The verified access token, set by `authenticate`; absent on an anonymous request of an `optional` route. */
      auth?: VerifiedToken;
    }
  }
}
