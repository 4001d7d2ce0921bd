import { InvalidRequestError } from '../../src/index.js';
import { queryParameters, rawHeader, type HttpRequestHead } from './http-exchange.js';

/**
 * The bearer token of a request (RFC 6750 section 2.1), or `undefined` when it
 * carries none. Throws {@link InvalidRequestError} (400) for what RFC 6750
 * section 3.1 calls a malformed request: two `Authorization` headers, a list of
 * credentials, an empty or ill-formed token, or an `access_token` in the query
 * string (this server accepts the header method only).
 */
export function readBearerToken(request: HttpRequestHead): string | undefined {
  if (request.url?.includes('?') === true && queryParameters(request).has('access_token')) {
    throw new InvalidRequestError('token_in_query', 'Access tokens are not accepted in the query string');
  }
  const { count, value } = rawHeader(request, 'authorization');
  if (count === 0) return undefined;
  if (count > 1) throw new InvalidRequestError('repeated_header', 'More than one Authorization header');
  return parseAuthorization(value ?? '');
}

/**
 * Reads an `Authorization` value: `Bearer 1*SP b64token`, the scheme
 * case-insensitive (RFC 9110 section 11.1). Another scheme, or a bare `Bearer`,
 * is no bearer credential (`undefined`). Plain scanning, and one linear pattern for the token.
 */
export function parseAuthorization(value: string): string | undefined {
  if (value.trim() === '') throw malformed('empty_header', 'The Authorization header is empty');
  if (value.includes(',') && value.split(',').some(namesBearer)) throw malformed('credential_list', 'The Authorization header holds a list');
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  if (space === -1) return undefined;
  let start = space;
  while (value.charCodeAt(start) === 0x20) start += 1;
  const token = value.slice(start);
  if (token === '') throw malformed('empty_token', 'The bearer token is empty');
  if (!isB64token(token)) throw malformed('malformed_token', 'The bearer token has characters outside RFC 6750 b64token');
  return token;
}

/** RFC 6750 section 2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
export function isB64token(token: string): boolean {
  return B64TOKEN.test(token);
}

// Two disjoint classes in sequence: a linear match, no backtracking whatever the input.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function namesBearer(part: string): boolean {
  const text = part.trimStart().toLowerCase();
  return text === 'bearer' || text.startsWith('bearer ');
}

function malformed(reason: string, message: string): InvalidRequestError {
  return new InvalidRequestError(reason, message);
}
