import { InsufficientScopeError, StoreUnavailableError, TokenleaseError } from '../../src/index.js';
import { bearerChallenge } from './bearer-challenge.js';
import { jsonResponse, type HttpResponse } from './http-exchange.js';

/** `error_description` of refused access tokens, by the core's reason; never the token itself. */
const TOKEN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
  session_ended: 'The session of the access token ended',
};

/**
 * The answer to an error a handler owns: a tokenlease error with an RFC code
 * (400, 401, 403, 413, 503 with `Retry-After`). With a `realm`, it answers as
 * a protected resource (RFC 6750 section 3, with `WWW-Authenticate`); without,
 * as a token endpoint (RFC 6749 section 5.2). Returns `undefined` for anything
 * else, which goes to the framework's error path.
 */
export function errorResponse(error: unknown, realm?: string): HttpResponse | undefined {
  if (!(error instanceof TokenleaseError) || error.code === 'invalid_configuration') return undefined;
  if (error instanceof StoreUnavailableError) {
    const body = { error: error.code, error_description: 'The service is temporarily unavailable, retry later' };
    return jsonResponse(503, body, { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfter))) });
  }
  const description = error.code === 'invalid_token' ? (TOKEN_DESCRIPTIONS[error.reason] ?? 'The access token is invalid') : error.message;
  const body = { error: error.code, error_description: description };
  if (realm === undefined || error.status === 413) return jsonResponse(error.status, body);
  const scope = error instanceof InsufficientScopeError ? error.scope : undefined;
  const challenge = bearerChallenge(realm, { error: error.code, description, ...(scope === undefined ? {} : { scope }) });
  return jsonResponse(error.status, body, { 'WWW-Authenticate': challenge });
}
