import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenVerifier } from '../../src/index.js';
import type { AuthenticationResult } from '../http/authenticate-request.js';
import { authenticateRequest, resolveAuthenticateOptions, type AuthenticateBaseOptions } from '../http/index.js';
import { writeResponse } from './express-exchange.js';

/** Options of {@link authenticate}; `getToken` receives the Express request. */
export type AuthenticateOptions = AuthenticateBaseOptions<Request>;

/**
 * Express middleware for RFC 6750 bearer authentication: verifies the access
 * token and puts the result on `req.auth`. It answers 401 (with
 * `WWW-Authenticate`), 403 `insufficient_scope`, 400 `invalid_request` or 503
 * (`Retry-After`) itself; errors it does not own go to `next(err)`. `OPTIONS`
 * requests (CORS preflight) pass unchecked.
 *
 * @example
 * ```ts
 * app.get('/api/me', authenticate(auth), (req, res) => res.json({ subject: req.auth?.subject }))
 * app.delete('/api/notes/:id', authenticate(auth, { scope: 'notes:write', checkSession: true }), removeNote)
 * ```
 */
export function authenticate(verifier: TokenVerifier, options: AuthenticateOptions = {}): RequestHandler {
  const config = resolveAuthenticateOptions(verifier, options);
  return (req, res, next) => {
    let result: AuthenticationResult | Promise<AuthenticationResult>;
    try {
      result = authenticateRequest(config, req, req);
    } catch (error) {
      return next(error);
    }
    if (result instanceof Promise) return void result.then((answer) => finish(answer, req, res, next), next);
    finish(result, req, res, next);
  };
}

function finish(result: AuthenticationResult, req: Request, res: Response, next: NextFunction): void {
  if ('refusal' in result) return writeResponse(res, result.refusal);
  if (result.auth !== undefined) req.auth = result.auth;
  next();
}
