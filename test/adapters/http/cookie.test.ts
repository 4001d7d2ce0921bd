import { describe, expect, it } from 'vitest';
import { cookiePath, isCookieName, readCookie, serializeCookie } from '../../../adapters/http/cookie.js';
import { thrown } from '../support/thrown.js';

describe('readCookie', () => {
  it('finds one cookie among others, quoted or not', () => {
    expect(readCookie('a=1; rt=abc.def; b=2', 'rt')).toBe('abc.def');
    expect(readCookie('rt="abc.def"', 'rt')).toBe('abc.def');
    expect(readCookie('xrt=1; rtx=2', 'rt')).toBeUndefined();
    expect(readCookie(undefined, 'rt')).toBeUndefined();
  });

  it('refuses a cookie name sent twice, as when Node joins two Cookie headers', () => {
    expect(thrown(() => readCookie('rt=one; theme=dark; rt=two', 'rt'))).toMatchObject({ code: 'invalid_request', reason: 'repeated_cookie' });
  });
});

describe('serializeCookie', () => {
  it('always sets HttpOnly and SameSite=Strict, and Secure unless turned off', () => {
    expect(serializeCookie('rt', 'v', { path: '/auth', maxAge: 60.9, secure: true })).toBe('rt=v; Path=/auth; Max-Age=60; HttpOnly; Secure; SameSite=Strict');
    expect(serializeCookie('rt', '', { path: '/', maxAge: 0, secure: false })).toBe('rt=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
  });
});

describe('cookiePath', () => {
  it('falls back to / for a mount path that could inject attributes', () => {
    expect(cookiePath('/tenants/acme/auth')).toBe('/tenants/acme/auth');
    expect(['', 'auth', '/a;Domain=evil.example', '/a b', '/\u00e9'].map(cookiePath)).toEqual(['/', '/', '/', '/', '/']);
  });
});

describe('isCookieName', () => {
  it('accepts RFC 9110 tokens only', () => {
    expect(['rt', '__Host-rt', 'a.b_c'].every(isCookieName)).toBe(true);
    expect(['', 'a b', 'a=b', 'a;b', 'a"b'].some(isCookieName)).toBe(false);
  });
});
