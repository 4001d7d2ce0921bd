import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { segment } from '../support/forge.js';
import { AUDIENCE, createIssuer, ISSUER, rawJson, SERVER_KINDS } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { callWith, expectRefusalResponse, expectTokenAccepted, expectTokenRefused } from './support/refusals.js';

// RFC 7519 sections 4 (unique claim names), 4.1.1 to 4.1.3 and 7.2; RFC 9068 sections 2.1 and 4 (typ at+jwt,
// iss and aud); RFC 8725 sections 3.8, 3.9, 3.11 and 3.12 (explicit typing against cross-JWT confusion).
const logs = captureLogs();
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  for (const name of ['polluted', 'isAdmin', 'scope', 'kid', 'typ', 'sub']) expect(({} as Record<string, unknown>)[name]).toBeUndefined();
});

describe.each(SERVER_KINDS)('claims family on a %s server', (kind) => {
  const served = serveIssuer(kind, logs);

  /** A server-signed token from raw header and claims JSON (duplicates, `__proto__`, anything). */
  function signedRaw(headerJson: string, claimsText: string | Buffer): string {
    return served.issuer.signSegments(segment(headerJson), Buffer.from(claimsText).toString('base64url'));
  }

  it('refuses every near spelling of the issuer', async () => {
    const spellings = [
      `${ISSUER}/`, ISSUER.toUpperCase(), 'https://Issuer.test', 'http://issuer.test', `${ISSUER}.evil.example`, ISSUER.slice(0, -1),
      `${ISSUER} `, ` ${ISSUER}`, `${ISSUER}\u0000`, 'https://issuer\u2024test', [ISSUER], [ISSUER, ISSUER], { iss: ISSUER }, null, 1, '',
    ];
    for (const iss of spellings) await expectTokenRefused(served, await served.issuer.forge({}, { iss }), 'wrong_issuer');
  });

  it('refuses every near spelling of the audience, and accepts a list that holds it (RFC 7519 section 4.1.3)', async () => {
    const spellings = [
      AUDIENCE.toUpperCase(), `${AUDIENCE} `, `${AUDIENCE}/`, AUDIENCE.slice(0, -1), `${AUDIENCE}s`, `other ${AUDIENCE}`, `${AUDIENCE},other`,
      [], ['API'], [[AUDIENCE]], [`${AUDIENCE} `], { [AUDIENCE]: true }, null, 0, '',
    ];
    for (const aud of spellings) await expectTokenRefused(served, await served.issuer.forge({}, { aud }), 'wrong_audience');
    await expectTokenAccepted(served, await served.issuer.forge({}, { aud: ['other', AUDIENCE] }));
  });

  it('refuses other token types signed with the same key: ID tokens, missing or foreign typ (RFC 8725 section 3.11)', async () => {
    const idToken = { nonce: 'n-0S6_WzA2Mj', auth_time: served.issuer.clock(), azp: 'web', at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' };
    const types = ['JWT', 'jwt', undefined, 'id_token', 'application/jwt', 'at+jwt ', 'at+jwt; charset=utf-8', 'secevent+jwt', 'dpop+jwt', 'refresh+jwt', ['at+jwt'], 1, null];
    for (const typ of types) await expectTokenRefused(served, await served.issuer.forge({ typ }, idToken), 'wrong_type');
    // RFC 9068 section 4 and RFC 7515 section 4.1.9: both spellings of the media type, in any case.
    for (const typ of ['application/at+jwt', 'AT+JWT']) await expectTokenAccepted(served, await served.issuer.forge({ typ }));
  });

  it('refuses a refresh token presented as a Bearer token, and an access token presented as a refresh token', async () => {
    const { token, refreshToken } = await served.issuer.issue();
    await expectTokenRefused(served, refreshToken, 'malformed');
    await expect(served.issuer.auth.refresh(token)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'malformed' });
    for (const app of served.apps) {
      const response = await request(app.url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: token });
      expect([response.status, response.body.error]).toEqual([400, 'invalid_grant']);
    }
  });

  it('refuses a sub or sid that is not a non-empty string', async () => {
    for (const sub of [42, 0, true, null, {}, [], ['alice'], '']) {
      await expectTokenRefused(served, await served.issuer.forge({}, { sub }), 'missing_subject');
    }
    for (const sid of [42, null, ['s'], { id: 's' }, '']) {
      await expectTokenRefused(served, await served.issuer.forge({}, { sid }), 'missing_session');
    }
  });

  it('refuses duplicate member names in the claims and in the header (RFC 7519 section 4)', async () => {
    const { header, payload } = await served.issuer.issue();
    const claims = [
      rawJson(payload, ['"sub":"admin"']),
      rawJson(payload, [`"exp":${Number(payload['exp']) + 86_400}`]),
      rawJson(payload, ['"s\\u0075b":"admin"']),
      rawJson(payload, ['"profile":{"role":"user","role":"admin"}']),
      rawJson(payload, ['"list":[{"a":1},{"b":2,"b":3}]']),
    ];
    for (const text of claims) await expectTokenRefused(served, signedRaw(JSON.stringify(header), text), 'malformed_payload');
    const payloadText = JSON.stringify(payload);
    for (const raw of ['"alg":"none"', `"kid":"other"`, '"typ":"JWT"', '"\\u0061lg":"none"']) {
      await expectTokenRefused(served, signedRaw(rawJson(header, [raw]), payloadText), 'malformed');
    }
  });

  it('leaves Object.prototype untouched and grants nothing through __proto__ or constructor members', async () => {
    const { header, payload } = await served.issuer.issue();
    const { scope: _scope, ...unscoped } = payload;
    const polluting = ['"__proto__":{"scope":"admin","isAdmin":true,"polluted":1}', '"constructor":{"prototype":{"polluted":1}}'];
    const token = signedRaw(JSON.stringify(header), rawJson(unscoped, polluting));
    const verified = await served.issuer.auth.verify(token);
    expect(verified.scope).toBeUndefined();
    expect(verified.claims['isAdmin']).toBeUndefined();
    for (const app of served.apps) {
      const admin = await callWith(app, `Bearer ${token}`, '/api/admin');
      expectRefusalResponse(admin, { status: 403, error: 'insufficient_scope' }, [token], served.witnesses, app.name);
    }
    const { kid: _kid, typ: _typ, ...bare } = header;
    const headerCases: [string, string][] = [
      [rawJson({ ...bare, typ: 'at+jwt' }, [`"__proto__":{"kid":"${String(header['kid'])}"}`]), 'malformed_header'],
      [rawJson({ ...bare, kid: header['kid'] }, ['"__proto__":{"typ":"at+jwt"}']), 'wrong_type'],
      [rawJson(header, ['"__proto__":{"alg":"none","jku":"http://127.0.0.1:1/"}']), 'accepted'],
    ];
    for (const [headerJson, reason] of headerCases) {
      const candidate = signedRaw(headerJson, JSON.stringify(payload));
      if (reason === 'accepted') await expectTokenAccepted(served, candidate);
      else await expectTokenRefused(served, candidate, reason);
    }
  });

  it('refuses signed payloads that are not one JSON object', async () => {
    const header = JSON.stringify((await served.issuer.issue()).header);
    const payloads: (string | Buffer)[] = [
      '[]', '[{"sub":"alice"}]', '"alice"', '42', 'null', 'true', '', ' ', '{', '{"sub":"alice"', '{"sub":"alice"}x', '{"sub":"alice"}{}',
      "{'sub':'alice'}", '{"exp":NaN}', '{"sub":"alice" /* admin */}', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from('{"sub":"a"}', 'utf16le'),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
    ];
    for (const text of payloads) await expectTokenRefused(served, signedRaw(header, text), 'malformed_payload');
  });

  it('answers 3,000-deep nesting in the header and the claims without a crash', async () => {
    const { header, payload } = await served.issuer.issue();
    const arrays = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const objects = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    const roomy = await createIssuer(kind, { maxTokenLength: 100_000 });
    const roomyReal = await roomy.issue();
    for (const nested of [arrays, objects]) {
      // Unsigned, in the header: parsed before any signature check.
      const attacked = `${segment(rawJson(roomyReal.header, [`"x":${nested}`]))}.${segment(roomyReal.payload)}.c2lnbmF0dXJl`;
      await expect(roomy.auth.verify(attacked)).rejects.toMatchObject({ code: 'invalid_token', reason: 'bad_signature' });
      // Signed by the server, in the claims: a custom claim, accepted as is.
      const deepClaims = roomy.signSegments(segment(roomyReal.header), segment(rawJson(roomyReal.payload, [`"x":${nested}`])));
      await expect(roomy.auth.verify(deepClaims)).resolves.toMatchObject({ subject: 'alice' });
      // At the default bound such tokens are too long before any decoding; over HTTP when Node's
      // own 16 KiB header limit lets them through (beyond it Node answers 431 before any app code).
      const tooLong = `${segment(rawJson(header, [`"x":${nested}`]))}.${segment(payload)}.c2lnbmF0dXJl`;
      if (tooLong.length < 15_000) await expectTokenRefused(served, tooLong, 'too_long');
      else await expect(served.issuer.auth.verify(tooLong)).rejects.toMatchObject({ code: 'invalid_token', reason: 'too_long' });
    }
  });
});
