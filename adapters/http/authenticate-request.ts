import { ConfigurationError, InsufficientScopeError, type TokenVerifier, type VerifiedToken } from '../../src/index.js';
import { readBearerToken } from './bearer-credentials.js';
import { challengeResponse, errorResponse } from './error-response.js';
import { countHeader, headerValue, type HttpRequestHead, type HttpResponse } from './http-exchange.js';

/** Options of `authenticate`; `Native` is the framework's request (Express `req`, Koa `ctx`). */
export interface AuthenticateBaseOptions<Native> {
  /** Let requests without credentials through, with no `auth`; a bad token is still refused. @default false */
  readonly optional?: boolean;
  /** Scopes the token must all carry: a space-delimited string or a list. @default none */
  readonly scope?: string | readonly string[];
  /** Also refuse tokens whose session was revoked or expired, at the cost of a store read. @default false */
  readonly checkSession?: boolean;
  /**
   * Reads the token from elsewhere (a cookie, another header); returning
   * nothing means no credentials.
   * @default the `Authorization: Bearer` header (RFC 6750 section 2.1)
   */
  readonly getToken?: (request: Native) => string | undefined | Promise<string | undefined>;
}

/** {@link AuthenticateBaseOptions}, checked once. */
export interface AuthenticateConfig<Native> {
  readonly verifier: TokenVerifier;
  readonly optional: boolean;
  readonly scope: readonly string[];
  readonly checkSession: boolean;
  readonly getToken: ((request: Native) => string | undefined | Promise<string | undefined>) | undefined;
  /** The verifier's synchronous path, when it has one (`createAuth` does). */
  readonly fastPath: FastPath | undefined;
}

/** What `authenticate` does with a request: let it through (with `auth` when a token was verified), or answer. */
export type AuthenticationResult = { readonly auth: VerifiedToken | undefined } | { readonly refusal: HttpResponse };

/**
 * The core's synchronous verify (src/access-token/verify-now.ts), found under
 * its registered symbol: `now` returns the token, throws the refusal, or
 * returns `undefined` when only the asynchronous `verify` can answer. It
 * stands for `verify` only while that is the verifier's `verify`.
 */
interface FastPath {
  readonly verify: TokenVerifier['verify'];
  readonly now: (token: string, checkSession: boolean) => VerifiedToken | undefined;
}
const VERIFY_NOW = Symbol.for('tokenlease.verifyNow');

const PASS: AuthenticationResult = Object.freeze({ auth: undefined });

/** Checks the options of `authenticate` once; a bad one throws a configuration error naming it. */
export function resolveAuthenticateOptions<Native>(
  verifier: TokenVerifier,
  options: AuthenticateBaseOptions<Native>,
): AuthenticateConfig<Native> {
  if (typeof verifier?.verify !== 'function' || typeof verifier.realm !== 'string') {
    throw new ConfigurationError('verifier', 'must be an Auth from createAuth() or a createVerifier()');
  }
  const fastPath = (verifier as { [VERIFY_NOW]?: Partial<FastPath> })[VERIFY_NOW];
  return {
    verifier,
    optional: flag(options.optional, 'optional'),
    scope: scopeList(options.scope),
    checkSession: flag(options.checkSession, 'checkSession'),
    getToken: optionalFunction(options.getToken, 'getToken'),
    fastPath: typeof fastPath?.now === 'function' && typeof fastPath.verify === 'function' ? (fastPath as FastPath) : undefined,
  };
}

/**
 * RFC 6750 for one request: reads the token (`getToken`, else the
 * `Authorization` header), verifies it and checks the scopes. Preflight
 * requests (`OPTIONS`) pass untouched. Errors tokenlease does not own are
 * thrown. Answers at once, without a promise, when the token needs no store
 * read (a cached or fresh verification of `createAuth`); a promise otherwise.
 */
export function authenticateRequest<Native>(
  config: AuthenticateConfig<Native>,
  request: HttpRequestHead,
  native: Native,
): AuthenticationResult | Promise<AuthenticationResult> {
  if (isPreflight(request)) return PASS;
  if (config.getToken !== undefined) return authenticateLater(config, native);
  try {
    const token = readBearerToken(request);
    if (token === undefined || token === '') return noCredentials(config);
    const fast = config.fastPath;
    const auth = fast !== undefined && fast.verify === config.verifier.verify ? fast.now(token, config.checkSession) : undefined;
    if (auth === undefined) return verifyLater(config, token);
    return authorized(config, auth);
  } catch (error) {
    return refused(error, config.verifier.realm);
  }
}

/** With `getToken`, which may answer with a promise. */
async function authenticateLater<Native>(config: AuthenticateConfig<Native>, native: Native): Promise<AuthenticationResult> {
  try {
    const token = await (config.getToken as (request: Native) => string | undefined | Promise<string | undefined>)(native);
    if (typeof token !== 'string' || token === '') return noCredentials(config);
    return authorized(config, await config.verifier.verify(token, { checkSession: config.checkSession }));
  } catch (error) {
    return refused(error, config.verifier.realm);
  }
}

async function verifyLater<Native>(config: AuthenticateConfig<Native>, token: string): Promise<AuthenticationResult> {
  try {
    return authorized(config, await config.verifier.verify(token, { checkSession: config.checkSession }));
  } catch (error) {
    return refused(error, config.verifier.realm);
  }
}

/** RFC 6750 section 3.1: no credentials, no error code and no error information. */
function noCredentials<Native>(config: AuthenticateConfig<Native>): AuthenticationResult {
  return config.optional ? PASS : { refusal: challengeResponse(config.verifier.realm) };
}

function authorized<Native>(config: AuthenticateConfig<Native>, auth: VerifiedToken): AuthenticationResult {
  if (config.scope.length > 0 && !hasScopes(auth, config.scope)) throw new InsufficientScopeError(config.scope);
  return { auth };
}

function refused(error: unknown, realm: string): AuthenticationResult {
  const refusal = errorResponse(error, realm);
  if (refusal === undefined) throw error;
  return { refusal };
}

/** A CORS preflight: OPTIONS with `Access-Control-Request-Method`, which never carries credentials. */
function isPreflight(request: HttpRequestHead): boolean {
  return request.method === 'OPTIONS' && headerValue(request, 'access-control-request-method') !== undefined && countHeader(request, 'authorization') === 0;
}

function hasScopes(auth: VerifiedToken, required: readonly string[]): boolean {
  const granted = new Set((auth.scope ?? '').split(' '));
  return required.every((scope) => granted.has(scope));
}

function flag(value: unknown, option: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new ConfigurationError(option, 'must be a boolean');
  return value === true;
}

function optionalFunction<F>(value: F | undefined, option: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ConfigurationError(option, 'must be a function');
  return value;
}

function scopeList(value: unknown): readonly string[] {
  if (value === undefined) return [];
  const list: unknown = typeof value === 'string' ? value.split(' ').filter((item) => item !== '') : value;
  // RFC 6749 section 3.3 scope-token: printable ASCII without space, `"` and `\`.
  const valid = Array.isArray(list) && list.every((item) => typeof item === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(item));
  if (!valid) throw new ConfigurationError('scope', 'must be a space-delimited string or a list of RFC 6749 scope tokens');
  return [...new Set(list as string[])];
}
