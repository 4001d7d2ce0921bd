import type { Context, Middleware } from 'koa';
import type { TokenVerifier } from '../../src/index.js';
import { authenticateRequest, resolveAuthenticateOptions, type AuthenticateBaseOptions } from '../http/index.js';
import { writeResponse } from './koa-exchange.js';

/** Options of {@link authenticate}; `getToken` receives the Koa context. */
export type AuthenticateOptions = AuthenticateBaseOptions<Context>;

/**
 * Koa middleware for RFC 6750 bearer authentication: verifies the access
 * token and puts the result on `ctx.state.auth`. It answers 401 (with
 * `WWW-Authenticate`), 403 `insufficient_scope`, 400 `invalid_request` or 503
 * (`Retry-After`) itself; errors it does not own are thrown. `OPTIONS`
 * requests (CORS preflight) pass unchecked.
 *
 * @example
 * ```ts
 * app.use(authenticate(auth, { scope: 'read' }))
 * app.use((ctx) => { ctx.body = { subject: ctx.state.auth?.subject } })
 * ```
 */
export function authenticate(verifier: TokenVerifier, options: AuthenticateOptions = {}): Middleware {
  const config = resolveAuthenticateOptions(verifier, options);
  return async (ctx, next) => {
    const result = await authenticateRequest(config, ctx.req, ctx);
    if ('refusal' in result) return writeResponse(ctx, result.refusal);
    if (result.auth !== undefined) ctx.state.auth = result.auth;
    await next();
  };
}
