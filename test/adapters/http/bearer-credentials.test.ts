import { describe, expect, it } from 'vitest';
import { isB64token, parseAuthorization, readBearerToken } from '../../../adapters/http/bearer-credentials.js';
import type { HttpRequest } from '../../../adapters/http/http-exchange.js';
import { Readable } from 'node:stream';
import { thrown } from '../support/thrown.js';

/** A request as Node would parse these raw header lines. */
function requestWith(url: string, rawHeaders: string[]): HttpRequest {
  const headers: Record<string, string> = {};
  for (let index = 0; index < rawHeaders.length; index += 2) headers[String(rawHeaders[index]).toLowerCase()] ??= String(rawHeaders[index + 1]);
  return { method: 'GET', url, headers, rawHeaders, body: Readable.from([]), parsedBody: undefined };
}

describe('parseAuthorization', () => {
  it('reads Bearer credentials whatever the scheme case and the number of spaces', () => {
    for (const value of ['Bearer abc.DEF-_~+/==', 'bearer abc.DEF-_~+/==', 'BEARER    abc.DEF-_~+/==', 'bEaReR abc.DEF-_~+/==']) {
      expect(parseAuthorization(value)).toBe('abc.DEF-_~+/==');
    }
  });

  it('sees no bearer credentials in another scheme or a bare Bearer', () => {
    for (const value of ['Bearer', 'bearer', 'Basic YWxpY2U6cHc=', 'Bearerabc', 'Bearer\tabc', 'Digest username="a", realm="b"']) {
      expect(parseAuthorization(value)).toBeUndefined();
    }
  });

  it('refuses an empty header, an empty token, a list and characters outside b64token', () => {
    const cases = [
      ['', 'empty_header'],
      ['   ', 'empty_header'],
      ['Bearer   ', 'empty_token'],
      ['Bearer abc, Bearer def', 'credential_list'],
      ['Basic YWxpY2U6cHc=, Bearer def', 'credential_list'],
      ['Bearer abc,def', 'credential_list'],
      ['Bearer abc def', 'malformed_token'],
      ['Bearer abc"def', 'malformed_token'],
      ['Bearer =abc', 'malformed_token'],
      ['Bearer ab=c', 'malformed_token'],
      ['Bearer abc\u00e9', 'malformed_token'],
    ] as const;
    for (const [value, reason] of cases) {
      expect(thrown(() => parseAuthorization(value))).toMatchObject({ code: 'invalid_request', reason, status: 400 });
    }
  });

  it('scans a long hostile header in linear time', () => {
    const hostile = `Bearer ${'a'.repeat(100_000)}=${'='.repeat(10)}!`;
    expect(thrown(() => parseAuthorization(hostile))).toMatchObject({ code: 'invalid_request', reason: 'malformed_token' });
  });
});

describe('isB64token', () => {
  it('accepts RFC 6750 b64token: token characters then only padding', () => {
    expect(['a', 'A9-._~+/', 'abc=', 'abc==='].every(isB64token)).toBe(true);
    expect(['', '=', 'a=b', 'a b', 'a,b', 'a%20'].some(isB64token)).toBe(false);
  });
});

describe('readBearerToken', () => {
  it('counts Authorization headers in the raw headers, since Node keeps only the first', () => {
    const request = requestWith('/api', ['Authorization', 'Bearer one', 'authorization', 'Bearer two']);
    expect(request.headers['authorization']).toBe('Bearer one');
    expect(thrown(() => readBearerToken(request))).toMatchObject({ code: 'invalid_request', reason: 'repeated_header' });
  });

  it('refuses an access_token in the query string, even next to a header', () => {
    for (const url of ['/api?access_token=abc', '/api?x=1&access_token=', '/api?access%5Ftoken=abc']) {
      const request = requestWith(url, ['Authorization', 'Bearer abc']);
      expect(thrown(() => readBearerToken(request))).toMatchObject({ code: 'invalid_request', reason: 'token_in_query' });
    }
  });

  it('returns the token, or nothing without a header', () => {
    expect(readBearerToken(requestWith('/api?page=2', ['Host', 'x', 'Authorization', 'Bearer abc']))).toBe('abc');
    expect(readBearerToken(requestWith('/api', ['Host', 'x']))).toBeUndefined();
  });
});
