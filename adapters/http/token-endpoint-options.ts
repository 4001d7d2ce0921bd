import { ConfigurationError, type Auth } from '../../src/index.js';
import { cookiePath, isCookieName } from './cookie.js';

/** Cookie mode: the refresh token travels only in an `HttpOnly; Secure; SameSite=Strict` cookie. */
export interface CookieOptions {
  /** The cookie's name. @default 'tokenlease_refresh' */
  readonly name?: string;
  /**
   * Origins (`https://app.example.com`, exactly as browsers send them) whose
   * requests may carry, set or clear the cookie: any other `Origin`, or none,
   * is refused with 403 (CSRF).
   */
  readonly allowedOrigins: readonly string[];
  /** Whether the cookie is `Secure`; turn off only for plain-HTTP development. @default true */
  readonly secure?: boolean;
  /** The cookie's `Path`. @default the router's mount path (`/` for a handler mounted alone) */
  readonly path?: string;
}

/** Options of the token endpoints that do not depend on the framework. */
export interface TokenEndpointBaseOptions {
  /** Cookie mode; without it, refresh tokens travel in JSON bodies. @default undefined */
  readonly cookie?: CookieOptions;
  /** Bodies larger than this many bytes are refused with 413. @default 16384 */
  readonly maxBodySize?: number;
}

/** {@link CookieOptions}, checked, with defaults applied. */
export interface CookieConfig {
  readonly name: string;
  readonly allowedOrigins: readonly string[];
  readonly secure: boolean;
  readonly path: string | undefined;
}

/** {@link TokenEndpointBaseOptions}, checked once. */
export interface TokenEndpointConfig {
  readonly auth: Auth;
  readonly cookie: CookieConfig | undefined;
  readonly maxBodySize: number;
}

/** Checks the options of the token endpoints once; a bad one throws a configuration error naming it. */
export function resolveTokenEndpointOptions(auth: Auth, options: TokenEndpointBaseOptions): TokenEndpointConfig {
  const methods = ['issue', 'refresh', 'revoke', 'jwks'] as const;
  if (!methods.every((method) => typeof auth?.[method] === 'function')) {
    throw new ConfigurationError('auth', 'must be an Auth from createAuth()');
  }
  const maxBodySize = options.maxBodySize ?? 16_384;
  if (!Number.isSafeInteger(maxBodySize) || maxBodySize < 1) throw new ConfigurationError('maxBodySize', 'must be a positive integer');
  return { auth, cookie: options.cookie === undefined ? undefined : resolveCookie(options.cookie), maxBodySize };
}

function resolveCookie(cookie: CookieOptions): CookieConfig {
  const name = cookie.name ?? 'tokenlease_refresh';
  if (typeof name !== 'string' || !isCookieName(name)) throw new ConfigurationError('cookie.name', 'must be an RFC 6265 cookie name');
  const origins: unknown = cookie.allowedOrigins;
  if (!Array.isArray(origins) || origins.length === 0 || !origins.every(isOrigin)) {
    throw new ConfigurationError('cookie.allowedOrigins', 'must be a non-empty list of origins such as https://app.example.com');
  }
  if (cookie.secure !== undefined && typeof cookie.secure !== 'boolean') throw new ConfigurationError('cookie.secure', 'must be a boolean');
  if (cookie.path !== undefined && (typeof cookie.path !== 'string' || cookiePath(cookie.path) !== cookie.path)) {
    throw new ConfigurationError('cookie.path', 'must be a path starting with /, in printable ASCII without ;');
  }
  return { name, allowedOrigins: [...origins], secure: cookie.secure ?? true, path: cookie.path };
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}
