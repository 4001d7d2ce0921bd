/**
 * The stable error codes of tokenlease: the RFC 6749 / RFC 6750 words where one
 * exists, so that a `switch (error.code)` narrows and an adapter can answer
 * without a lookup table.
 */
export type ErrorCode =
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_grant'
  | 'invalid_request'
  | 'unsupported_grant_type'
  | 'temporarily_unavailable'
  | 'invalid_configuration';

/** Options shared by every tokenlease error. */
export interface TokenleaseErrorOptions {
  /** The finer cause, stable and machine-readable, such as `expired` or `reused`. */
  reason?: string;
  /** The underlying error, kept for logs; never shown to a client. */
  cause?: unknown;
}

/**
 * Base class of every error tokenlease throws. `code` is the RFC word, `reason`
 * the finer cause, `status` the HTTP status an adapter answers with, and
 * `expose` tells a framework that the message is safe to show. Messages never
 * contain a token, a secret or a key.
 *
 * @example
 * ```ts
 * try { await auth.refresh(token) } catch (error) {
 *   if (error instanceof TokenleaseError && error.code === 'invalid_grant') console.log(error.reason)
 * }
 * ```
 */
export class TokenleaseError extends Error {
  /** The stable RFC word, to `switch` on. */
  readonly code: ErrorCode;
  /** The finer cause, such as `expired`, `revoked` or `reused`: stable, for logs and metrics. */
  readonly reason: string;
  /** The HTTP status an adapter answers with. */
  readonly status: number;
  /** True when the message is safe to show a client (every status below 500). */
  readonly expose: boolean;

  constructor(code: ErrorCode, status: number, message: string, options: TokenleaseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.reason = options.reason ?? code;
    this.status = status;
    this.expose = status < 500;
  }
}

/**
 * An access token that is missing, malformed, forged, expired or revoked (RFC 6750 section 3.1, 401).
 *
 * @example
 * ```ts
 * await auth.verify(token).catch((error) => { if (error instanceof InvalidTokenError) console.log(error.reason) })
 * ```
 */
export class InvalidTokenError extends TokenleaseError {
  constructor(reason: string, message = 'The access token is invalid') {
    super('invalid_token', 401, message, { reason });
  }
}

/**
 * A valid access token that lacks a scope the resource requires (RFC 6750 section 3.1, 403).
 *
 * @example
 * ```ts
 * if (error instanceof InsufficientScopeError) console.log(error.scope.join(' '))
 * ```
 */
export class InsufficientScopeError extends TokenleaseError {
  /** The scopes the resource requires, for the `scope` attribute of `WWW-Authenticate`. */
  readonly scope: readonly string[];

  constructor(scope: readonly string[]) {
    super('insufficient_scope', 403, 'The access token lacks a required scope', { reason: 'insufficient_scope' });
    this.scope = scope;
  }
}

/**
 * The reasons a refresh token is refused. `unknown` and `revoked` are kept apart
 * for logs and events; adapters answer both the same way.
 */
export type InvalidGrantReason = 'malformed' | 'unknown' | 'expired' | 'revoked' | 'reused' | 'superseded';

/**
 * A refresh token that cannot be used (RFC 6749 section 5.2, 400).
 *
 * @example
 * ```ts
 * await auth.refresh(token).catch((error) => { if (error instanceof InvalidGrantError && error.reason === 'reused') alertSecurityTeam() })
 * ```
 */
export class InvalidGrantError extends TokenleaseError {
  declare readonly reason: InvalidGrantReason;

  constructor(reason: InvalidGrantReason) {
    super('invalid_grant', 400, 'The refresh token is invalid, expired or revoked', { reason });
  }
}

/**
 * A request that is missing a parameter, repeats one or cannot be parsed (RFC 6749 section 5.2, 400).
 *
 * @example
 * ```ts
 * throw new InvalidRequestError('missing_parameter', 'The parameter token is missing')
 * ```
 */
export class InvalidRequestError extends TokenleaseError {
  constructor(reason: string, message: string, status = 400) {
    super('invalid_request', status, message, { reason });
  }
}

/**
 * A token request for a grant type other than `refresh_token` (RFC 6749 section 5.2, 400).
 *
 * @example
 * ```ts
 * if (body.grant_type !== 'refresh_token') throw new UnsupportedGrantTypeError()
 * ```
 */
export class UnsupportedGrantTypeError extends TokenleaseError {
  constructor() {
    super('unsupported_grant_type', 400, 'Only the refresh_token grant is supported', { reason: 'unsupported_grant_type' });
  }
}

/**
 * The session store, or a remote JWK Set, failed or did not answer in time (503, to be retried).
 *
 * @example
 * ```ts
 * if (error instanceof StoreUnavailableError) res.set('Retry-After', String(error.retryAfter)).status(503)
 * ```
 */
export class StoreUnavailableError extends TokenleaseError {
  /** Seconds a client should wait before retrying, for `Retry-After`. */
  readonly retryAfter: number;

  constructor(reason: 'failed' | 'timeout' | 'overloaded' | 'jwks', cause?: unknown, retryAfter = 1) {
    super('temporarily_unavailable', 503, 'The session store or key source is unavailable', { reason, cause });
    this.retryAfter = retryAfter;
  }
}

/**
 * A bad option, thrown once at creation. The message names the option.
 *
 * @example
 * ```ts
 * createAuth({ issuer: '', audience: 'api', keys }) // throws ConfigurationError: Option "issuer" must be a non-empty string
 * ```
 */
export class ConfigurationError extends TokenleaseError {
  constructor(option: string, problem: string) {
    super('invalid_configuration', 500, `Option "${option}" ${problem}`, { reason: option });
  }
}
