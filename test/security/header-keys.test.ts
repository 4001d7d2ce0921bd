import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { segment } from '../support/forge.js';
import { closeApps, listen, startApps } from './support/apps.js';
import { AUDIENCE, createIssuer, ISSUER, SERVER_KINDS, signatureOf } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { expectBearerRefused, expectTokenAccepted, expectTokenRefused, INVALID_TOKEN } from './support/refusals.js';

// RFC 8725 sections 2.9 and 3.10 (kid and key URLs are attacker input), RFC 7515 sections 4.1.2 to 4.1.6
// (jku, jwk, kid, x5u, x5c), 4.1.11 (crit) and RFC 7797 (b64).
const logs = captureLogs();

const attackerRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attackerJwk = { ...attackerRsa.publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'RS256', use: 'sig' };
const attackerSecret = randomBytes(32);
const attackerDer = attackerRsa.publicKey.export({ type: 'spki', format: 'der' });

/** The attacker's key server on 127.0.0.1: it counts every request it receives. */
let keyServer: { url: string; requests: string[]; close(): Promise<void> };

beforeAll(async () => {
  const requests: string[] = [];
  const served = await listen((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [attackerJwk] }));
  });
  keyServer = { url: served.url, requests, close: served.close };
});
afterAll(() => keyServer.close());

describe.each(SERVER_KINDS)('header-keys family on a %s server', (kind) => {
  const served = serveIssuer(kind, logs);

  /** A real token's claims under a patched header, signed by the attacker's key of the server's type. */
  async function attackerToken(headerPatch: Record<string, unknown>): Promise<string> {
    const { header, payload } = await served.issuer.issue();
    // JSON leaves out members patched to undefined.
    const input = `${segment({ ...header, ...headerPatch })}.${segment(payload)}`;
    return `${input}.${kind === 'HS256' ? signatureOf('HS256', attackerSecret, input) : signatureOf('RS256', attackerRsa.privateKey, input)}`;
  }

  it('refuses keys and key URLs in the header (jwk, jku, x5u, x5c, x5t) without any outbound request', async () => {
    const embedded = kind === 'HS256' ? { kty: 'oct', k: attackerSecret.toString('base64url'), alg: 'HS256' } : attackerJwk;
    const headers: [Record<string, unknown>, string][] = [
      [{ jwk: embedded }, 'key_in_header'],
      [{ jwk: embedded, kid: 'attacker' }, 'key_in_header'],
      [{ jku: `${keyServer.url}/jwks.json` }, 'key_in_header'],
      [{ jku: `${keyServer.url}/jwks.json`, kid: 'attacker' }, 'key_in_header'],
      [{ x5u: `${keyServer.url}/cert.pem` }, 'key_in_header'],
      [{ x5c: [attackerDer.toString('base64')] }, 'key_in_header'],
      [{ x5t: createHash('sha1').update(attackerDer).digest('base64url') }, 'key_in_header'],
      [{ 'x5t#S256': createHash('sha256').update(attackerDer).digest('base64url') }, 'key_in_header'],
      [{ jku: 'file:///etc/passwd' }, 'key_in_header'],
      [{ jku: `${keyServer.url}/jwks.json`, jwk: embedded, x5u: `${keyServer.url}/x5u` }, 'key_in_header'],
      [{ jku: `${keyServer.url}/jwks.json`, kid: undefined }, 'malformed_header'],
    ];
    for (const [patch, reason] of headers) await expectTokenRefused(served, await attackerToken(patch), reason);
    expect(keyServer.requests).toEqual([]);
  });

  it('refuses kid injection: paths, SQL, prototype names, CR/LF and non-strings', async () => {
    const injected = [
      '../../../../../../dev/null', '/dev/null', '..\\..\\windows\\win.ini', "' OR '1'='1", "x' UNION SELECT 'secret' --",
      '1; DROP TABLE keys', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
      'a\r\nSet-Cookie: pwned=1', 'a\u0000b', '', ' ', `${served.issuer.kid} `, served.issuer.kid.toUpperCase(), `${keyServer.url}/key`,
      '$(curl 127.0.0.1)', '{{7*7}}', '%00', 'k'.repeat(4000),
    ];
    for (const kid of injected) {
      // The classic: HMAC keyed by the contents of the file the kid names (/dev/null: nothing).
      const { header, payload } = await served.issuer.issue();
      const input = `${segment({ ...header, alg: 'HS256', kid })}.${segment(payload)}`;
      const token = `${input}.${signatureOf('HS256', '', input)}`;
      await expectTokenRefused(served, token, kid === served.issuer.kid ? 'wrong_algorithm' : 'unknown_key');
    }
    for (const kid of [0, 1, -1, null, true, false, [], [served.issuer.kid], {}, { toString: served.issuer.kid }]) {
      await expectTokenRefused(served, await attackerToken({ kid }), 'malformed_header');
    }
    expect(keyServer.requests).toEqual([]);
  });

  it('never reflects a CR/LF kid into a response header', async () => {
    const token = await attackerToken({ kid: 'x\r\nSet-Cookie: pwned=1\r\nX-Injected: yes' });
    for (const app of served.apps) {
      const response = await request(app.url).get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['x-injected']).toBeUndefined();
      expect(JSON.stringify(response.headers)).not.toContain('pwned');
    }
  });

  it('refuses unknown crit, b64 (RFC 7797), zip and enc even under a valid signature of the server', async () => {
    const patches: Record<string, unknown>[] = [
      { crit: ['exp'] },
      { crit: ['x-unknown'], 'x-unknown': 1 },
      { crit: [] },
      { crit: 'b64' },
      { crit: ['alg'] },
      { crit: ['b64'], b64: false },
      { b64: false },
      { b64: true },
      { zip: 'DEF' },
      { enc: 'A256GCM' },
    ];
    for (const patch of patches) await expectTokenRefused(served, await served.issuer.forge(patch), 'unsupported_header');
  });

  it('refuses an RFC 7797 unencoded payload signed by the server, attached or detached', async () => {
    const { header, payload } = await served.issuer.issue();
    const protectedHeader = segment({ ...header, b64: false, crit: ['b64'] });
    const attached = served.issuer.signSegments(protectedHeader, JSON.stringify(payload));
    const signature = attached.slice(attached.lastIndexOf('.') + 1);
    // Attached, the raw claims hold dots (the issuer URL): the compact form itself breaks.
    await expectTokenRefused(served, attached, 'malformed');
    await expectTokenRefused(served, `${protectedHeader}..${signature}`, 'unsupported_header');
  });
});

describe('header-keys family on a verify-only service with a remote JWK Set', () => {
  it('fetches keys only from its configured jwksUrl, never from jku or x5u', async () => {
    const issuer = await createIssuer('RS256');
    const trusted = await listen((_req, res) => void res.end(JSON.stringify(issuer.auth.jwks())));
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: `${trusted.url}/jwks.json`, clock: issuer.clock });
    const apps = await startApps(issuer.auth, { verifier });
    const witnesses = { logs, events: issuer.events };
    try {
      const { token, header, payload } = await issuer.issue();
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'alice' });
      for (const patch of [{ jku: `${keyServer.url}/jwks.json` }, { x5u: `${keyServer.url}/x5u` }, { jku: `${keyServer.url}/jwks.json`, kid: 'attacker' }]) {
        const input = `${segment({ ...header, ...patch })}.${segment(payload)}`;
        const forged = `${input}.${signatureOf('RS256', attackerRsa.privateKey, input)}`;
        await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'invalid_token', reason: 'key_in_header' });
        await expectBearerRefused(apps, `Bearer ${forged}`, INVALID_TOKEN, witnesses, [forged]);
      }
      await expectTokenAccepted({ issuer, apps, witnesses }, token);
      expect(keyServer.requests).toEqual([]);
    } finally {
      await closeApps(apps);
      await trusted.close();
    }
  });
});
