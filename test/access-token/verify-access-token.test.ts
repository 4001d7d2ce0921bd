import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/create-auth.js';
import { generateSigningKey } from '../../src/keys/generate-signing-key.js';
import { decodeJws, forgeHs256, segment } from '../support/forge.js';
import { testClock, TEST_SECRET } from '../support/test-clock.js';

const clock = testClock();
const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock });
const NOW = clock();

async function validToken(): Promise<string> {
  return (await auth.issue({ subject: 'alice', scope: 'read' })).accessToken;
}

/** A token our server would sign, with the header and claims a test overrides. */
async function forged(headerPatch: Record<string, unknown>, claimsPatch: Record<string, unknown>): Promise<string> {
  const { header, payload } = decodeJws(await validToken());
  const claims = Object.fromEntries(Object.entries({ ...payload, ...claimsPatch }).filter(([, value]) => value !== undefined));
  return forgeHs256({ ...header, ...headerPatch }, claims, TEST_SECRET);
}

describe('verify', () => {
  it('accepts a token it issued and reports who it is for', async () => {
    const token = await validToken();
    const verified = await auth.verify(token);
    expect(verified).toMatchObject({ subject: 'alice', scope: 'read', expiresAt: NOW + 600, issuedAt: NOW });
    expect(verified.claims).toMatchObject({ iss: 'https://issuer.test', aud: 'api', sub: 'alice' });
    expect(decodeJws(token).header).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
  });

  it('accepts nbf equal to now and an audience list that contains the audience', async () => {
    await expect(auth.verify(await forged({}, { nbf: NOW, aud: ['other', 'api'] }))).resolves.toMatchObject({ subject: 'alice' });
  });

  const refusals: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['wrong_type', { typ: 'JWT' }, {}],
    ['wrong_type', { typ: undefined }, {}],
    ['unsupported_header', { crit: ['exp'] }, {}],
    ['unsupported_header', { b64: false }, {}],
    ['key_in_header', { jwk: { kty: 'oct', k: segment(TEST_SECRET) } }, {}],
    ['key_in_header', { jku: 'http://127.0.0.1:1/jwks.json' }, {}],
    ['unknown_key', { kid: 'another-key' }, {}],
    ['malformed_header', { kid: 7 }, {}],
    ['wrong_algorithm', { alg: 'HS512' }, {}],
    ['wrong_issuer', {}, { iss: 'https://issuer.test/' }],
    ['wrong_issuer', {}, { iss: ['https://issuer.test'] }],
    ['wrong_audience', {}, { aud: 'API' }],
    ['wrong_audience', {}, { aud: ['other'] }],
    ['missing_subject', {}, { sub: undefined }],
    ['missing_subject', {}, { sub: 42 }],
    ['missing_subject', {}, { sub: '' }],
    ['missing_session', {}, { sid: undefined }],
    ['missing_time', {}, { exp: undefined }],
    ['missing_time', {}, { exp: String(NOW + 60) }],
    ['missing_time', {}, { iat: undefined }],
    ['missing_time', {}, { nbf: 'soon' }],
    ['expired', {}, { exp: NOW }],
    ['expired', {}, { exp: NOW - 1 }],
    ['not_yet_valid', {}, { nbf: NOW + 1 }],
    ['issued_in_future', {}, { iat: NOW + 1 }],
    ['lifetime_too_long', {}, { exp: NOW + 601 }],
    ['malformed_scope', {}, { scope: ['read'] }],
  ];

  it.each(refusals)('refuses with invalid_token, reason %s (header %o, claims %o)', async (reason, header, claims) => {
    await expect(auth.verify(await forged(header, claims))).rejects.toMatchObject({ code: 'invalid_token', status: 401, reason });
  });

  it('refuses tokens that are not a compact JWS of one JSON object', async () => {
    const token = await validToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const cases: [string, string][] = [
      ['malformed', ''],
      ['malformed', `${header}.${payload}`],
      ['malformed', `${header}.${payload}.`],
      ['malformed', `${token}.extra.parts`],
      ['malformed', `${header}=.${payload}.${signature}`],
      ['malformed', `${header}.${payload}.${signature}+`],
      ['too_long', `${header}.${'A'.repeat(9000)}.${signature}`],
      ['malformed_payload', forgeHs256(decodeJws(token).header, '[1,2]', TEST_SECRET)],
      ['malformed_payload', forgeHs256(decodeJws(token).header, '{"sub":"a","sub":"b"}', TEST_SECRET)],
      ['bad_signature', `${header}.${segment({ ...decodeJws(token).payload, sub: 'mallory' })}.${signature}`],
    ];
    for (const [reason, candidate] of cases) {
      await expect(auth.verify(candidate), reason).rejects.toMatchObject({ code: 'invalid_token', reason });
    }
  });

  it('never echoes the token in the error', async () => {
    const token = await forged({}, { exp: NOW });
    const error = await auth.verify(token).catch((caught: Error) => caught);
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(token.split('.')[1]);
  });

  it('honours clockTolerance for exp, nbf and iat', async () => {
    const lenient = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, clock, clockTolerance: 30 });
    await expect(lenient.verify(await forged({}, { exp: NOW - 29, iat: NOW - 600 }))).resolves.toBeDefined();
    await expect(lenient.verify(await forged({}, { exp: NOW - 30, iat: NOW - 600 }))).rejects.toMatchObject({ reason: 'expired' });
    await expect(lenient.verify(await forged({}, { nbf: NOW + 30 }))).resolves.toBeDefined();
    await expect(lenient.verify(await forged({}, { iat: NOW + 31, exp: NOW + 600 }))).rejects.toMatchObject({ reason: 'issued_in_future' });
  });

  it('refuses a token signed with HS256 under the bytes of a public key', async () => {
    const signing = generateSigningKey('EdDSA');
    const edAuth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { signing }, clock });
    const { header, payload } = decodeJws((await edAuth.issue({ subject: 'alice' })).accessToken);
    const publicJwk = JSON.stringify(edAuth.jwks().keys[0]);
    const token = forgeHs256({ ...header, alg: 'HS256' }, payload, createSecretKey(Buffer.from(publicJwk)).export());
    await expect(edAuth.verify(token)).rejects.toMatchObject({ code: 'invalid_token', reason: 'wrong_algorithm' });
  });
});
