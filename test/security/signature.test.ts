import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { segment } from '../support/forge.js';
import { createIssuer, privateJwkOf, SERVER_KINDS, signatureOf, type KeyKind } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { expectBearerRefused, expectTokenAccepted, expectTokenRefused, INVALID_TOKEN } from './support/refusals.js';

// RFC 7515 sections 5.2 and 7.2, RFC 7516 (JWE), RFC 7518 section 4.8 (PBES2 p2c),
// RFC 7519 section 7.2 (nested JWTs), RFC 8725 sections 2.1 and 3.1.
const logs = captureLogs();

const P256_ORDER = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
const attacker = { RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, HS256: randomBytes(32) };

/** The parts of a compact token. */
function partsOf(token: string): [string, string, string] {
  return token.split('.') as [string, string, string];
}

/** The signature's bytes changed by `change`, re-encoded canonically. */
function withSignatureBytes(token: string, change: (bytes: Buffer) => Buffer): string {
  const [header, payload, signature] = partsOf(token);
  return `${header}.${payload}.${change(Buffer.from(signature, 'base64url')).toString('base64url')}`;
}

/** Another spelling of the same bytes: the last character with non-zero unused bits, or `undefined` when it has none. */
function nonCanonical(text: string): string | undefined {
  const bytes = Buffer.from(text, 'base64url');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (const character of alphabet) {
    const spelled = `${text.slice(0, -1)}${character}`;
    if (spelled !== text && Buffer.from(spelled, 'base64url').equals(bytes)) return spelled;
  }
  return undefined;
}

describe.each(SERVER_KINDS)('signature family on a %s server', (kind) => {
  const served = serveIssuer(kind, logs);

  it('refuses stripped signatures and missing segments', async () => {
    const [header, payload, signature] = partsOf((await served.issuer.issue()).token);
    const cases: [string, string][] = [
      [`${header}.${payload}.`, 'malformed'],
      [`${header}.${payload}`, 'malformed'],
      [`${header}.${payload}..`, 'malformed'],
      [`.${payload}.${signature}`, 'malformed'],
      [`${header}..${signature}`, 'bad_signature'],
      [`${header}.${payload}.${signature}.${signature}`, 'malformed'],
    ];
    for (const [token, reason] of cases) await expectTokenRefused(served, token, reason);
  });

  it("refuses foreign signatures: another token's, another server's under our kid, another server's own", async () => {
    const [header, payload] = partsOf((await served.issuer.issue()).token);
    const other = await served.issuer.auth.issue({ subject: 'bob' });
    const otherServer = kind === 'HS256' ? await createIssuer('HS256', { keys: { secret: attacker.HS256 } }) : await createIssuer('ES256');
    const theirs = (await otherServer.issue()).token;
    const input = `${header}.${payload}`;
    const cases: [string, string][] = [
      [`${input}.${partsOf(other.accessToken)[2]}`, 'bad_signature'],
      [`${input}.${kind === 'HS256' ? signatureOf('HS256', attacker.HS256, input) : signatureOf('RS256', attacker.RS256, input)}`, 'bad_signature'],
      [theirs, 'unknown_key'],
    ];
    for (const [token, reason] of cases) await expectTokenRefused(served, token, reason);
  });

  it('refuses tampered signatures, claims and headers', async () => {
    const { token, header, payload } = await served.issuer.issue();
    const [headerSegment, payloadSegment, signature] = partsOf(token);
    const flip = (index: (length: number) => number) => (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      const at = index(copy.length);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    };
    const cases = [
      withSignatureBytes(token, flip(() => 0)),
      withSignatureBytes(token, flip((length) => length >> 1)),
      withSignatureBytes(token, flip((length) => length - 1)),
      withSignatureBytes(token, (bytes) => bytes.subarray(0, -1)),
      withSignatureBytes(token, (bytes) => Buffer.concat([bytes, Buffer.from([0])])),
      withSignatureBytes(token, (bytes) => Buffer.concat([bytes, bytes])),
      `${headerSegment}.${segment({ ...payload, sub: 'admin' })}.${signature}`,
      `${headerSegment}.${segment({ ...payload, exp: Number(payload['exp']) + 3600 })}.${signature}`,
      `${headerSegment}.${segment({ ...payload, scope: 'read admin' })}.${signature}`,
      `${segment(JSON.stringify(header, null, 1))}.${payloadSegment}.${signature}`,
      `${segment(Object.fromEntries(Object.entries(header).reverse()))}.${payloadSegment}.${signature}`,
    ];
    for (const tampered of cases) await expectTokenRefused(served, tampered, 'bad_signature');
  });

  it('refuses a tampered token that shares its signature with one already verified and cached', async () => {
    const { token, header, payload } = await served.issuer.issue();
    await expectTokenAccepted(served, token);
    const [headerSegment, payloadSegment, signature] = partsOf(token);
    const twins = [
      `${headerSegment}.${segment({ ...payload, sub: 'admin' })}.${signature}`,
      `${headerSegment}.${segment({ ...payload, scope: 'read admin' })}.${signature}`,
      `${segment({ ...header, typ: 'at+JWT' })}.${payloadSegment}.${signature}`,
      `${headerSegment}.${payloadSegment}x.${signature}`,
      `x${headerSegment}.${payloadSegment}.${signature}`,
      signature,
      `.${signature}`,
    ];
    for (const twin of twins) {
      await expect(served.issuer.auth.verify(twin)).rejects.toMatchObject({ code: 'invalid_token' });
      await expectBearerRefused(served.apps, `Bearer ${twin}`, INVALID_TOKEN, served.witnesses, [twin]);
    }
    await expectTokenAccepted(served, token);
  });

  it('accepts only the one canonical spelling of each segment', async () => {
    const token = (await served.issuer.issue()).token;
    const [header, payload, signature] = partsOf(token);
    const standard = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/');
    const cases: [string, string][] = [
      [`${header}=.${payload}.${signature}`, 'malformed'],
      [`${header}.${payload}.${signature}=`, 'malformed'],
      [`${header}.${payload}.${signature}==`, 'malformed'],
      [`${header}.${payload}=.${signature}`, 'bad_signature'],
      [`${standard(header)}A+/.${payload}.${signature}`, 'malformed'],
      [`${header}.${payload}.${signature}+/`, 'malformed'],
      [`${header}.${payload.slice(0, -1)}.${signature}`, 'bad_signature'],
    ];
    for (const [spelled, part] of [[header, 0], [signature, 2]] as const) {
      const other = nonCanonical(spelled);
      if (other === undefined) continue;
      const parts = partsOf(token);
      parts[part] = other;
      cases.push([parts.join('.'), 'malformed']);
    }
    for (const [spelled, reason] of cases) await expectTokenRefused(served, spelled, reason);
    for (const broken of [`${header}.${payload}.${signature.slice(0, 10)}\n${signature.slice(10)}`, `${header}\t.${payload}.${signature}`]) {
      await expect(served.issuer.auth.verify(broken)).rejects.toMatchObject({ code: 'invalid_token', reason: 'malformed' });
    }
  });

  it('refuses a payload segment the server signed but that is not canonical base64url', async () => {
    const [header, payload] = partsOf((await served.issuer.issue()).token);
    const spellings = [`${payload}=`, payload.replace(/-/g, '+').replace(/_/g, '/') + '+', nonCanonical(payload) ?? `${payload}!`, `${payload.slice(0, 8)} ${payload.slice(8)}`];
    for (const spelled of spellings) {
      await expect(served.issuer.auth.verify(served.issuer.signSegments(header, spelled))).rejects.toMatchObject({ code: 'invalid_token', reason: 'malformed_payload' });
    }
    await expectTokenRefused(served, served.issuer.signSegments(header, `${payload}=`), 'malformed_payload');
  });

  it('refuses JWE, huge PBES2 p2c included, before any key derivation', async () => {
    const { header } = await served.issuer.issue();
    const random = () => randomBytes(24).toString('base64url');
    const jweHeaders = [
      { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_147_483_647, p2s: random(), kid: header['kid'], typ: 'at+jwt' },
      { alg: 'PBES2-HS256+A128KW', enc: 'A128CBC-HS256', p2c: 1e15, p2s: random() },
      { alg: 'dir', enc: 'A256GCM', kid: header['kid'] },
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' },
    ];
    for (const jwe of jweHeaders) {
      for (const token of [`${segment(jwe)}.${random()}.${random()}.${random()}.${random()}`, `${segment(jwe)}..${random()}.${random()}.${random()}`]) {
        const started = performance.now();
        await expectTokenRefused(served, token, 'malformed');
        // Generous: a p2c this large would take minutes if anything derived a key from it.
        expect(performance.now() - started).toBeLessThan(1000);
      }
    }
    const threeParts = `${segment({ ...header, alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_147_483_647 })}.${random()}.${random()}`;
    await expectTokenRefused(served, threeParts, 'unsupported_header');
  });

  it('refuses the JWS JSON serialization, flattened, general and base64url-wrapped', async () => {
    const [header, payload, signature] = partsOf((await served.issuer.issue()).token);
    const flattened = JSON.stringify({ protected: header, payload, signature });
    const cases = [
      flattened,
      JSON.stringify({ payload, signatures: [{ protected: header, signature }] }),
      JSON.stringify({ protected: header, header: { alg: 'none' }, payload, signature: '' }),
      Buffer.from(flattened).toString('base64url'),
    ];
    for (const token of cases) await expectTokenRefused(served, token, 'malformed');
  });

  it('refuses nested JWTs (cty JWT), whoever signed the outer one', async () => {
    const { token, header } = await served.issuer.issue();
    const nestedHeader = segment({ ...header, cty: 'JWT' });
    const innerNone = `${segment({ ...header, alg: 'none' })}.${partsOf(token)[1]}.`;
    const attackerSigned = (input: string) => (kind === 'HS256' ? signatureOf('HS256', attacker.HS256, input) : signatureOf('RS256', attacker.RS256, input));
    const cases: [string, string][] = [
      [served.issuer.signSegments(nestedHeader, segment(token)), 'malformed_payload'],
      [served.issuer.signSegments(nestedHeader, segment(innerNone)), 'malformed_payload'],
      [`${segment({ ...header, alg: 'none', cty: 'JWT' })}.${segment(token)}.`, 'malformed'],
      [`${nestedHeader}.${segment(token)}.${attackerSigned(`${nestedHeader}.${segment(token)}`)}`, 'bad_signature'],
    ];
    for (const [nested, reason] of cases) await expectTokenRefused(served, nested, reason);
  });
});

describe('signature family on an ES256 server (ECDSA encodings)', () => {
  const served = serveIssuer('ES256' satisfies KeyKind, logs);

  it('refuses DER signatures, zero and out-of-range r and s (CVE-2022-21449)', async () => {
    const token = (await served.issuer.issue()).token;
    const [header, payload] = partsOf(token);
    const key = createPrivateKey({ key: privateJwkOf('ES256') as never, format: 'jwk' });
    const der = sign('sha256', Buffer.from(`${header}.${payload}`), key);
    const cases = [
      `${header}.${payload}.${der.toString('base64url')}`,
      withSignatureBytes(token, () => Buffer.alloc(64)),
      withSignatureBytes(token, () => Buffer.concat([P256_ORDER, P256_ORDER])),
      withSignatureBytes(token, (bytes) => Buffer.concat([bytes.subarray(0, 32), Buffer.alloc(32)])),
      withSignatureBytes(token, (bytes) => Buffer.concat([Buffer.alloc(32), bytes.subarray(32)])),
      withSignatureBytes(token, (bytes) => Buffer.concat([Buffer.from([0]), bytes])),
    ];
    for (const forged of cases) await expectTokenRefused(served, forged, 'bad_signature');
  });

  it('treats the malleated twin (r, n - s) as the same token: same claims, and revoking its session refuses both', async () => {
    const { token, sessionId } = await served.issuer.issue();
    const twin = withSignatureBytes(token, (bytes) => {
      const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
      const n = BigInt(`0x${P256_ORDER.toString('hex')}`);
      return Buffer.concat([bytes.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
    });
    expect(twin).not.toBe(token);
    await expectTokenAccepted(served, twin);
    await served.issuer.auth.revokeSession(sessionId);
    for (const spelling of [token, twin]) await expectTokenRefused(served, spelling, 'revoked');
  });
});
