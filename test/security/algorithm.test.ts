import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/index.js';
import { segment } from '../support/forge.js';
import { TEST_SECRET } from '../support/test-clock.js';
import { closeApps, startApps } from './support/apps.js';
import { AUDIENCE, createIssuer, ISSUER, privateJwkOf, SERVER_KINDS, signatureOf, type KeyKind } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { expectTokenAccepted, expectTokenRefused } from './support/refusals.js';

// RFC 8725 sections 2.1, 3.1 and 3.2; CVE-2022-23540 (jsonwebtoken: none), CVE-2020-15084 (express-jwt:
// algorithms not pinned), CVE-2022-23541 and CVE-2023-48223 (public key used as an HMAC secret).
const logs = captureLogs();

const NONE_SPELLINGS = ['none', 'None', 'NONE', 'nOnE', 'nonE', 'none ', ' none', 'none\u0000'];
const FOREIGN_ALGORITHMS = ['HS384', 'HS512', 'RS384', 'RS512', 'PS256', 'PS512', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448', 'RS256', 'ES256', 'HS256', 'hs256', 'HS256 ', 'RSA-OAEP', 'dir'];

/** The attacker's own keys, one of each type. */
const attacker = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  ES256: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey,
  EdDSA: generateKeyPairSync('ed25519').privateKey,
  HS256: randomBytes(32),
} as const;

describe.each(SERVER_KINDS)('algorithm family on a %s server', (kind) => {
  const served = serveIssuer(kind, logs);

  /** The real token's header and payload segments with the header patched; `signature` over them or given. */
  async function relabeled(headerPatch: Record<string, unknown>, sign: (input: string) => string): Promise<string> {
    const { header, payload } = await served.issuer.issue();
    const input = `${segment({ ...header, ...headerPatch })}.${segment(payload)}`;
    return `${input}.${sign(input)}`;
  }

  it('accepts its own tokens (control)', async () => {
    await expectTokenAccepted(served, (await served.issuer.issue()).token);
  });

  it("refuses alg none in any spelling, with no signature, a copied one, an empty-key one or the server's own", async () => {
    const realSignature = (await served.issuer.issue()).token.split('.')[2] ?? '';
    for (const alg of NONE_SPELLINGS) {
      await expectTokenRefused(served, await relabeled({ alg }, () => ''), 'malformed');
      await expectTokenRefused(served, await relabeled({ alg }, () => realSignature), 'wrong_algorithm');
      await expectTokenRefused(served, await relabeled({ alg }, (input) => signatureOf('HS256', '', input)), 'wrong_algorithm');
      await expectTokenRefused(served, await relabeled({ alg }, served.issuer.signatureOver), 'wrong_algorithm');
    }
  });

  it('refuses a missing or non-string alg', async () => {
    for (const alg of [undefined, null, 256, ['HS256'], { name: kind }, true]) {
      await expectTokenRefused(served, await relabeled({ alg }, () => 'c2ln'), 'malformed_header');
    }
  });

  it("refuses algorithms outside the configured key, even over the server's own valid signature", async () => {
    for (const alg of FOREIGN_ALGORITHMS.filter((name) => name !== kind)) {
      await expectTokenRefused(served, await relabeled({ alg }, served.issuer.signatureOver), 'wrong_algorithm');
    }
  });

  it('refuses other algorithms computed with the real key itself (HS384/HS512 with the secret, RS512/PS256 with the private key)', async () => {
    const variants: [string, KeyObject | string][] =
      kind === 'HS256'
        ? [['HS384', TEST_SECRET], ['HS512', TEST_SECRET]]
        : [['RS384', realPrivateKey(kind)], ['RS512', realPrivateKey(kind)], ['PS256', realPrivateKey(kind)], ['PS512', realPrivateKey(kind)]];
    for (const [alg, key] of variants) {
      await expectTokenRefused(served, await relabeled({ alg }, (input) => signatureOf(alg, key, input)), 'wrong_algorithm');
    }
  });

  it("refuses a valid signature by a key of another type (or another key of the same type) under the server's kid", async () => {
    for (const [alg, key] of Object.entries(attacker) as [KeyKind, KeyObject | Buffer][]) {
      const token = await relabeled({ alg }, (input) => signatureOf(alg, key, input));
      await expectTokenRefused(served, token, alg === kind ? 'bad_signature' : 'wrong_algorithm');
    }
  });
});

describe.each(['RS256', 'ES256', 'EdDSA'] as const)('algorithm family: HS256 signed with the public key of a %s server', (kind) => {
  const served = serveIssuer(kind, logs);

  /** Every spelling of the public key an attacker could try as the HMAC secret. */
  async function publicKeyEncodings(): Promise<[string, string | Buffer][]> {
    const key = served.issuer.publicKey as KeyObject;
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    const der = key.export({ type: 'spki', format: 'der' });
    const jwksResponse = await request(served.apps[0]?.url ?? '').get('/auth/jwks.json');
    const jwk = served.issuer.auth.jwks().keys[0] ?? {};
    const encodings: [string, string | Buffer][] = [
      ['PEM (SPKI)', pem],
      ['PEM without its final newline', pem.trimEnd()],
      ['PEM with CRLF line ends', pem.replace(/\n/g, '\r\n')],
      ['PEM with leading blanks', `  \n${pem}`],
      ['DER (SPKI)', der],
      ['DER as base64', der.toString('base64')],
      ['JWK Set JSON as served by /jwks.json', jwksResponse.text],
      ['JWK JSON', JSON.stringify(jwk)],
      ['JWK JSON of the public members in thumbprint order', JSON.stringify(key.export({ format: 'jwk' }))],
    ];
    if (kind === 'RS256') {
      // CVE-2023-48223: fast-jwt did not recognise "BEGIN RSA PUBLIC KEY" (PKCS#1) as a public key.
      encodings.push(['PEM (PKCS#1 RSA PUBLIC KEY)', key.export({ type: 'pkcs1', format: 'pem' }).toString()]);
      encodings.push(['DER (PKCS#1)', key.export({ type: 'pkcs1', format: 'der' })]);
      encodings.push(['the modulus n', Buffer.from(String(jwk.n), 'base64url')]);
    } else {
      encodings.push(['the public point x', Buffer.from(String(jwk.x), 'base64url')]);
    }
    return encodings;
  }

  it('refuses HS256 made with the public key in PEM, DER and JWK JSON, with the kid or without', async () => {
    const { header, payload } = await served.issuer.issue();
    for (const [, secret] of await publicKeyEncodings()) {
      for (const [headerPatch, reason] of [[{}, 'wrong_algorithm'], [{ kid: undefined }, 'malformed_header']] as const) {
        const input = `${segment({ ...header, ...headerPatch, alg: 'HS256' })}.${segment(payload)}`;
        await expectTokenRefused(served, `${input}.${signatureOf('HS256', secret, input)}`, reason);
      }
    }
  });
});

describe('algorithm family: a server with several keys of different types', () => {
  it("refuses a token signed by one configured key under another key's kid", async () => {
    const secret = TEST_SECRET;
    const edJwk = privateJwkOf('EdDSA');
    const esJwk = privateJwkOf('ES256');
    const issuer = await createIssuer('ES256', { keys: { signing: esJwk, previous: [edJwk, secret] } });
    const apps = await startApps(issuer.auth);
    const witnesses = { logs, events: issuer.events };
    const edKey = createPrivateKey({ key: edJwk as never, format: 'jwk' });
    const { header, payload } = await issuer.issue();
    const cases: [Record<string, unknown>, KeyObject | string, string][] = [
      [{ alg: 'EdDSA', kid: esJwk.kid }, edKey, 'wrong_algorithm'],
      [{ alg: 'ES256', kid: edJwk.kid }, createPrivateKey({ key: esJwk as never, format: 'jwk' }), 'wrong_algorithm'],
      [{ alg: 'HS256', kid: esJwk.kid }, secret, 'wrong_algorithm'],
      [{ alg: 'HS256', kid: edJwk.kid }, secret, 'wrong_algorithm'],
      [{ alg: 'ES256', kid: esJwk.kid }, attacker.ES256, 'bad_signature'],
    ];
    try {
      for (const [patch, key, reason] of cases) {
        const input = `${segment({ ...header, ...patch })}.${segment(payload)}`;
        await expectTokenRefused({ issuer, apps, witnesses }, `${input}.${signatureOf(String(patch['alg']), key, input)}`, reason);
      }
      // RFC 7517 section 9.2 and RFC 8725 section 3.5: the published set holds public members only, never a secret.
      const served = await request(apps[0]?.url ?? '').get('/auth/jwks.json');
      expect(served.body.keys.map((jwk: { kid: string }) => jwk.kid).sort()).toEqual([esJwk.kid, edJwk.kid].sort());
      for (const jwk of served.body.keys as Record<string, unknown>[]) {
        expect(Object.keys(jwk).filter((name) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'].includes(name))).toEqual([]);
      }
      expect(served.text).not.toContain(String(esJwk.d));
      expect(served.text).not.toContain(String(edJwk.d));
      expect(served.text).not.toContain(segment(secret));
      // Control: each configured key still verifies what it signs under its own kid and algorithm.
      const edInput = `${segment({ ...header, alg: 'EdDSA', kid: edJwk.kid })}.${segment(payload)}`;
      await expectTokenAccepted({ issuer, apps, witnesses }, `${edInput}.${signatureOf('EdDSA', edKey, edInput)}`);
    } finally {
      await closeApps(apps);
    }
  });
});

describe('algorithm family: unfit keys are refused at start (CVE-2022-23539)', () => {
  const base = { issuer: ISSUER, audience: AUDIENCE };
  const jwkOf = (key: KeyObject, alg: string) => ({ ...key.export({ format: 'jwk' }), alg });
  const cases: [string, () => unknown][] = [
    ['a 1024-bit RSA key', () => createAuth({ ...base, keys: { signing: jwkOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'RS256') } })],
    ['a P-384 key as ES256', () => createAuth({ ...base, keys: { signing: jwkOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey, 'ES256') } })],
    ['an Ed448 key as EdDSA', () => createAuth({ ...base, keys: { signing: jwkOf(generateKeyPairSync('ed448').privateKey, 'EdDSA') } })],
    ['an RSA key labelled ES256', () => createAuth({ ...base, keys: { signing: { ...privateJwkOf('RS256'), alg: 'ES256' } } })],
    ['an RSA key labelled PS256', () => createAuth({ ...base, keys: { signing: { ...privateJwkOf('RS256'), alg: 'PS256' } } })],
    ['a public key as the signing key', () => createAuth({ ...base, keys: { signing: createPublicKey(realPrivateKey('ES256')).export({ format: 'jwk' }) } })],
    ['a symmetric JWK as the signing key', () => createAuth({ ...base, keys: { signing: { kty: 'oct', k: segment(TEST_SECRET), alg: 'HS256' } } })],
    ['a 31-byte secret', () => createAuth({ ...base, keys: { secret: 'x'.repeat(31) } })],
    ['an empty secret', () => createAuth({ ...base, keys: { secret: '' } })],
  ];

  it.each(cases)('refuses %s with invalid_configuration', (_, configure) => {
    expect(configure).toThrow(expect.objectContaining({ code: 'invalid_configuration' }) as Error);
  });
});

function realPrivateKey(kind: Exclude<KeyKind, 'HS256'>): KeyObject {
  return createPrivateKey({ key: privateJwkOf(kind) as never, format: 'jwk' });
}
