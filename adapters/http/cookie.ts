import { InvalidRequestError } from '../../src/index.js';

/** The attributes of the refresh-token cookie. */
export interface CookieAttributes {
  readonly path: string;
  /** Seconds; `0` deletes the cookie. */
  readonly maxAge: number;
  readonly secure: boolean;
}

/**
 * The value of the cookie `name` in a `Cookie` header (Node joins repeated
 * headers with `; `), or `undefined`. A name sent twice is refused: which
 * value wins would be up to the parser, and a planted cookie could win.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let found: string | undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    if (found !== undefined) throw new InvalidRequestError('repeated_cookie', `The cookie ${name} is repeated`);
    found = unquote(pair.slice(equals + 1).trim());
  }
  return found;
}

/** A `Set-Cookie` value: always `HttpOnly` and `SameSite=Strict`, `Secure` unless turned off. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${value}`, `Path=${attributes.path}`, `Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`, 'HttpOnly'];
  if (attributes.secure) parts.push('Secure');
  parts.push('SameSite=Strict');
  return parts.join('; ');
}

/**
 * The `Path` for a mount path: RFC 6265 section 4.1.1 allows any printable
 * character but `;`. A mount path taken from the request URL (a parameter in
 * Express's mount path) could carry one and inject attributes: it falls back to `/`.
 */
export function cookiePath(mountPath: string): string {
  if (!mountPath.startsWith('/')) return '/';
  for (let index = 0; index < mountPath.length; index += 1) {
    const code = mountPath.charCodeAt(index);
    if (code < 0x21 || code > 0x7e || code === 0x3b) return '/';
  }
  return mountPath;
}

/** RFC 6265 section 4.1.1 `cookie-name`: an RFC 9110 token. */
export function isCookieName(name: string): boolean {
  if (name.length === 0) return false;
  for (const character of name) {
    if (!"!#$%&'*+-.^_`|~".includes(character) && !/^[A-Za-z0-9]$/.test(character)) return false;
  }
  return true;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
