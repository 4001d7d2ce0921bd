import type { Context, Middleware, Next } from 'koa';
import type { TokenVerifier } from '../../src/index.js';
import type { AuthenticationResult } from '../http/authenticate-request.js';
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
  return (ctx, next) => {
    try {
      const result = authenticateRequest(config, ctx.req, ctx);
      return result instanceof Promise ? result.then((answer) => finish(answer, ctx, next)) : finish(result, ctx, next);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** Answers or passes on; a promise either way, as an `async` middleware would return. */
function finish(result: AuthenticationResult, ctx: Context, next: Next): Promise<void> {
  if ('refusal' in result) {
    writeResponse(ctx, result.refusal);
    return Promise.resolve();
  }
  if (result.auth !== undefined) ctx.state.auth = result.auth;
  return next();
}
