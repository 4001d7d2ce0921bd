import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/index.js';
import { checkTokenHeader, TokenHeaderCache } from '../../src/access-token/token-header.js';
import { decodeJws, forgeHs256, segment } from '../support/forge.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';

const GOOD = { alg: 'HS256', typ: 'at+jwt', kid: 'k1' };

/** Header segments of every verdict, several spellings of some. */
const SEGMENTS = [
  segment(GOOD),
  segment({ ...GOOD, typ: 'application/AT+JWT' }),
  segment({ ...GOOD, typ: 'JWT' }),
  segment({ ...GOOD, crit: ['exp'] }),
  segment({ ...GOOD, jwk: { kty: 'oct' } }),
  segment({ alg: 'HS256', typ: 'at+jwt' }),
  segment('{"alg":"HS256","alg":"none","typ":"at+jwt","kid":"k1"}'),
  segment('[1,2]'),
  `${segment(GOOD)}=`,
  'e30', // {}
  'e31', // {} with a spare bit set: not canonical
  '',
  '!!!',
];

describe('the header cache never changes an answer', () => {
  it('gives every segment the verdict of an uncached check, on first sight and after', () => {
    const cache = new TokenHeaderCache(64, 512);
    for (let round = 0; round < 2; round++) {
      for (const text of SEGMENTS) expect(cache.check(text)).toEqual(checkTokenHeader(text));
    }
    expect(checkTokenHeader(segment(GOOD))).toMatchObject({ kid: 'k1', alg: 'HS256' });
    expect(SEGMENTS.slice(2).map((text) => checkTokenHeader(text))).toEqual([
      'wrong_type',
      'unsupported_header',
      'key_in_header',
      'malformed_header',
      'malformed',
      'malformed',
      'malformed',
      'malformed_header',
      'malformed',
      'malformed',
      'malformed',
    ]);
  });

  it('stays bounded, and keeps no segment longer than any real header', () => {
    const cache = new TokenHeaderCache(8, 512);
    for (let i = 0; i < 100; i++) {
      cache.check(segment({ ...GOOD, kid: `key-${i}` }));
      expect(cache.size).toBeLessThanOrEqual(8);
    }
    const large = new TokenHeaderCache(8, 512);
    expect(large.check(segment({ ...GOOD, kid: 'k'.repeat(600) }))).toMatchObject({ alg: 'HS256' });
    expect(large.size).toBe(0);
  });

  it('shares one frozen header object between the tokens that carry the same segment', () => {
    const cache = new TokenHeaderCache(8, 512);
    const first = cache.check(segment(GOOD));
    expect(cache.check(segment(GOOD))).toBe(first);
    expect(Object.isFrozen((first as { header: object }).header)).toBe(true);
  });

  it('refuses forged tokens that share the header of a verified one', async () => {
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock: testClock() });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    await expect(auth.verify(accessToken)).resolves.toMatchObject({ subject: 'alice' });
    const [header = '', , signature = ''] = accessToken.split('.');
    const { payload } = decodeJws(accessToken);
    const otherPayload = segment({ ...payload, sub: 'mallory' });
    await expect(auth.verify(`${header}.${otherPayload}.${signature}`)).rejects.toMatchObject({ code: 'invalid_token', reason: 'bad_signature' });
    const otherSecret = forgeHs256(decodeJws(accessToken).header, { ...payload, sub: 'mallory' }, 'another-secret-another-secret-0123456789');
    expect(otherSecret.startsWith(`${header}.`)).toBe(true);
    await expect(auth.verify(otherSecret)).rejects.toMatchObject({ code: 'invalid_token', reason: 'bad_signature' });
    await expect(auth.verify(accessToken)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses another spelling of a cached header segment', async () => {
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock: testClock() });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    await auth.verify(accessToken);
    const [header = '', payload = '', signature = ''] = accessToken.split('.');
    // The header's JSON is 3n + 1 or 3n + 2 bytes long: its last character carries spare bits.
    expect(header.length % 4).not.toBe(0);
    const last = header.charCodeAt(header.length - 1);
    const respelled = `${header.slice(0, -1)}${String.fromCharCode(last + 1)}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(header, 'base64url'));
    await expect(auth.verify(`${respelled}.${payload}.${signature}`)).rejects.toMatchObject({ code: 'invalid_token', reason: 'malformed' });
  });
});
