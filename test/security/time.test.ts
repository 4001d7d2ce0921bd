import { beforeAll, describe, expect, it } from 'vitest';
import { segment } from '../support/forge.js';
import { createIssuer, rawJson, SERVER_KINDS } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { callWith, expectRefusalResponse, expectTokenAccepted, expectTokenRefused, INVALID_TOKEN } from './support/refusals.js';

// RFC 7519 sections 4.1.4 (exp), 4.1.5 (nbf), 4.1.6 (iat) and 7.2; RFC 9068 section 4 (exp and iat required);
// DESIGN section 4: exp <= now is expired, exp - iat may not exceed the access-token lifetime.
const logs = captureLogs();
const TTL = 600;

describe.each(SERVER_KINDS)('time family on a %s server', (kind) => {
  let now: number;
  const served = serveIssuer(kind, logs);
  beforeAll(() => {
    now = served.issuer.clock();
  });

  /** A server-signed token whose raw claims JSON ends with these members verbatim. */
  async function withRawClaims(drop: readonly string[], raw: readonly string[]): Promise<string> {
    const { header, payload } = await served.issuer.issue();
    const kept = Object.fromEntries(Object.entries(payload).filter(([name]) => !drop.includes(name)));
    return served.issuer.signSegments(segment(header), segment(rawJson(kept, raw)));
  }

  it('refuses exp == now and accepts exp == now + 1', async () => {
    await expectTokenRefused(served, await served.issuer.forge({}, { exp: now, iat: now - 1 }), 'expired');
    await expectTokenRefused(served, await served.issuer.forge({}, { exp: now - 1, iat: now - 2 }), 'expired');
    await expectTokenAccepted(served, await served.issuer.forge({}, { exp: now + 1 }));
  });

  it('accepts nbf == now and refuses nbf == now + 1', async () => {
    await expectTokenAccepted(served, await served.issuer.forge({}, { nbf: now }));
    await expectTokenRefused(served, await served.issuer.forge({}, { nbf: now + 1 }), 'not_yet_valid');
    await expectTokenRefused(served, await served.issuer.forge({}, { nbf: now + 86_400 }), 'not_yet_valid');
  });

  it('refuses a future iat and accepts iat == now', async () => {
    await expectTokenAccepted(served, await served.issuer.forge({}, { iat: now }));
    await expectTokenRefused(served, await served.issuer.forge({}, { iat: now + 1 }), 'issued_in_future');
    await expectTokenRefused(served, await served.issuer.forge({}, { iat: now + 3600, exp: now + 3600 + TTL }), 'issued_in_future');
  });

  it('refuses a lifetime longer than the configured access TTL, however the dates are placed', async () => {
    await expectTokenAccepted(served, await served.issuer.forge({}, { iat: now - 10, exp: now - 10 + TTL }));
    await expectTokenRefused(served, await served.issuer.forge({}, { exp: now + TTL + 1 }), 'lifetime_too_long');
    await expectTokenRefused(served, await served.issuer.forge({}, { iat: now - 3600, exp: now + 60 }), 'lifetime_too_long');
    await expectTokenRefused(served, await served.issuer.forge({}, { exp: 1e308 }), 'lifetime_too_long');
    await expectTokenRefused(served, await served.issuer.forge({}, { iat: 0 }), 'lifetime_too_long');
  });

  it('refuses a token of this key minted with a longer lifetime by a server configured with a shorter one', async () => {
    const strict = await createIssuer(kind, { accessTokenTtl: '5m' });
    await expect(strict.auth.verify((await served.issuer.issue()).token)).rejects.toMatchObject({ code: 'invalid_token', reason: 'lifetime_too_long' });
    await expect(strict.auth.verify((await strict.issue()).token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses exp, iat and nbf that are strings, negative, infinite (1e400) or not numbers', async () => {
    const spellings = [`"${now + 60}"`, '-1', '-1e400', '1e400', 'null', 'true', `[${now + 60}]`, '{}', `"1e400"`];
    for (const raw of spellings) {
      await expectTokenRefused(served, await withRawClaims(['exp'], [`"exp":${raw}`]), 'missing_time');
      await expectTokenRefused(served, await withRawClaims(['iat'], [`"iat":${raw}`]), 'missing_time');
      await expectTokenRefused(served, await withRawClaims([], [`"nbf":${raw}`]), 'missing_time');
    }
  });

  it('refuses a token missing exp, iat, sub, sid, iss or aud', async () => {
    const cases: [string, string][] = [
      ['exp', 'missing_time'],
      ['iat', 'missing_time'],
      ['sub', 'missing_subject'],
      ['sid', 'missing_session'],
      ['iss', 'wrong_issuer'],
      ['aud', 'wrong_audience'],
    ];
    for (const [claim, reason] of cases) await expectTokenRefused(served, await served.issuer.forge({}, { [claim]: undefined }), reason);
  });

  it('refuses a token it already verified (and cached) at exactly its exp', async () => {
    const { token } = await served.issuer.issue();
    await expectTokenAccepted(served, token);
    served.issuer.clock.advance(TTL - 1);
    await expectTokenAccepted(served, token);
    served.issuer.clock.advance(1);
    try {
      await expectTokenRefused(served, token, 'expired');
      for (const app of served.apps) {
        const response = await callWith(app, `Bearer ${token}`);
        expectRefusalResponse(response, INVALID_TOKEN, [token], served.witnesses, app.name);
        expect(response.body.error_description).toBe('The access token expired');
      }
    } finally {
      served.issuer.clock.set(now);
    }
  });
});
