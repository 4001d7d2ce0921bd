import { createPrivateKey } from 'node:crypto';
import { SignJWT, type JWTHeaderParameters } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuth, generateSigningKey, type KeyOptions } from '../../src/index.js';
import { decodeJws } from '../support/forge.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';

/** What jose SignJWT makes of a token's decoded header and claims. */
function signJwt(token: string, key: Parameters<SignJWT['sign']>[0]): Promise<string> {
  const { header, payload } = decodeJws(token);
  return new SignJWT(payload).setProtectedHeader(header as JWTHeaderParameters).sign(key);
}

describe('issued access tokens', () => {
  const signing = generateSigningKey('EdDSA');
  const keys: [string, KeyOptions, Parameters<SignJWT['sign']>[0]][] = [
    ['HS256', { secret: TEST_SECRET }, new TextEncoder().encode(TEST_SECRET)],
    ['EdDSA', { signing }, createPrivateKey({ key: signing, format: 'jwk' })],
  ];

  it.each(keys)('are, with %s, the very token jose SignJWT makes of the same header and claims', async (_, options, joseKey) => {
    const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: options, clock: testClock() });
    for (let i = 0; i < 3; i++) {
      const { accessToken, refreshToken } = await auth.issue({ subject: 'alice', scope: 'read write', claims: { tenant: 't1', roles: ['a', 'b'], n: { x: 1 } } });
      const { header } = decodeJws(accessToken);
      expect(header).toEqual({ alg: header['alg'], typ: 'at+jwt', kid: header['kid'] });
      expect(await signJwt(accessToken, joseKey)).toBe(accessToken);
      const next = await auth.refresh(refreshToken);
      expect(await signJwt(next.accessToken, joseKey)).toBe(next.accessToken);
    }
  });
});
