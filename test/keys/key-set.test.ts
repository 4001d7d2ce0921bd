import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/create-auth.js';
import { generateSigningKey } from '../../src/keys/generate-signing-key.js';
import type { KeyOptions } from '../../src/keys/key-options.js';
import { decodeJws } from '../support/forge.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';

const clock = testClock();
const base = { issuer: 'https://issuer.test', audience: 'api', clock } as const;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe('keys', () => {
  it.each(['EdDSA', 'ES256', 'RS256'] as const)('signs and verifies with %s, kid the RFC 7638 thumbprint', async (alg) => {
    const signing = generateSigningKey(alg);
    const auth = createAuth({ ...base, keys: { signing: withoutKid(signing) } });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    const [jwk] = auth.jwks().keys;
    expect(jwk?.kid).toBe(await calculateJwkThumbprint(jwk as JWK, 'sha256'));
    expect(decodeJws(accessToken).header).toEqual({ alg, typ: 'at+jwt', kid: jwk?.kid });
    for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    await expect(auth.verify(accessToken)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('publishes no key at all for HS256', () => {
    const auth = createAuth({ ...base, keys: { secret: TEST_SECRET } });
    expect(auth.jwks()).toEqual({ keys: [] });
    expect(JSON.stringify(auth.jwks())).not.toContain(Buffer.from(TEST_SECRET).toString('base64url'));
  });

  it('keeps verifying tokens of previous keys after a rotation, and publishes only public parts', async () => {
    const oldKey = generateSigningKey('ES256');
    const newKey = generateSigningKey('EdDSA');
    const before = createAuth({ ...base, keys: { signing: oldKey } });
    const after = createAuth({ ...base, keys: { signing: newKey, previous: [oldKey] } });
    const oldToken = (await before.issue({ subject: 'alice' })).accessToken;
    await expect(after.verify(oldToken)).resolves.toMatchObject({ subject: 'alice' });
    expect(after.jwks().keys.map((jwk) => jwk.kid)).toEqual([newKey.kid, oldKey.kid]);
    expect(JSON.stringify(after.jwks())).not.toContain(oldKey.d);
    const retired = createAuth({ ...base, keys: { signing: newKey } });
    await expect(retired.verify(oldToken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'unknown_key' });
  });

  it('keeps verifying tokens of a previous secret', async () => {
    const oldSecret = 'an-old-secret-that-is-32-bytes-long!!';
    const before = createAuth({ ...base, keys: { secret: oldSecret } });
    const after = createAuth({ ...base, keys: { secret: TEST_SECRET, previous: [oldSecret] } });
    await expect(after.verify((await before.issue({ subject: 'alice' })).accessToken)).resolves.toMatchObject({ subject: 'alice' });
  });

  const badKeys: [string, unknown, string][] = [
    ['a short secret', { secret: 'too-short' }, 'keys.secret'],
    ['both secret and signing', { secret: TEST_SECRET, signing: generateSigningKey('EdDSA') }, 'keys'],
    ['no key', {}, 'keys'],
    ['a public key to sign with', { signing: { ...generateSigningKey('EdDSA'), d: undefined } }, 'keys.signing'],
    ['an alg that does not fit the key', { signing: { ...generateSigningKey('EdDSA'), alg: 'ES256' } }, 'keys.signing'],
    ['an unsupported alg', { signing: { ...generateSigningKey('ES256'), alg: 'ES512' } }, 'keys.signing'],
    ['a short RSA key', { signing: { ...rsa1024(), alg: 'RS256' } }, 'keys.signing'],
    ['a short previous secret', { secret: TEST_SECRET, previous: ['short'] }, 'keys.previous[0]'],
  ];

  it.each(badKeys)('refuses %s at start with a configuration error naming the option', (_, keys, option) => {
    expect(() => createAuth({ ...base, keys: keys as KeyOptions })).toThrow(expect.objectContaining({ code: 'invalid_configuration', reason: option }));
  });
});

describe('interoperability with jose', () => {
  it('issues tokens that plain jose.jwtVerify accepts, asymmetric and HS256', async () => {
    const signing = generateSigningKey('EdDSA');
    const auth = createAuth({ ...base, clock: () => Math.floor(Date.now() / 1000), keys: { signing } });
    const options = { issuer: base.issuer, audience: base.audience, typ: 'at+jwt' };
    const { payload } = await jwtVerify((await auth.issue({ subject: 'alice' })).accessToken, createLocalJWKSet(auth.jwks()), options);
    expect(payload).toMatchObject({ sub: 'alice', iss: base.issuer, aud: base.audience });
    const hs = createAuth({ ...base, clock: () => Math.floor(Date.now() / 1000), keys: { secret: TEST_SECRET } });
    const verified = await jwtVerify((await hs.issue({ subject: 'bob' })).accessToken, new TextEncoder().encode(TEST_SECRET), options);
    expect(verified.payload.sub).toBe('bob');
  });

  it('refuses tokens jose signed with another key, issuer or audience', async () => {
    const signing = generateSigningKey('EdDSA');
    const auth = createAuth({ ...base, keys: { signing } });
    const sign = (claims: { iss: string; aud: string }, key: JWK) =>
      new SignJWT({ sid: 's1', ...claims })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: signing.kid as string })
        .setSubject('alice')
        .setIssuedAt(clock())
        .setExpirationTime(clock() + 60)
        .sign(key);
    const good = { iss: base.issuer, aud: base.audience };
    await expect(auth.verify(await sign(good, signing))).resolves.toMatchObject({ subject: 'alice', sessionId: 's1' });
    await expect(auth.verify(await sign(good, generateSigningKey('EdDSA')))).rejects.toMatchObject({ reason: 'bad_signature' });
    await expect(auth.verify(await sign({ ...good, iss: 'https://evil.test' }, signing))).rejects.toMatchObject({ reason: 'wrong_issuer' });
    await expect(auth.verify(await sign({ ...good, aud: 'other' }, signing))).rejects.toMatchObject({ reason: 'wrong_audience' });
  });
});

function withoutKid(jwk: JWK): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => name !== 'kid'));
}

function rsa1024(): JWK {
  return generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as JWK;
}
