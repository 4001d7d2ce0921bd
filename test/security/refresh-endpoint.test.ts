import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { callWith, expectRefusalResponse } from './support/refusals.js';
import { expectEndpointRefusal, INVALID_GRANT, loginThrough, observable, refreshWith } from './support/token-endpoint.js';

// RFC 6749 sections 5.2, 6 and 10.4 (refresh tokens: rotation and theft), 10.10 (guessing); RFC 9700
// sections 2.2.2 and 4.14 (refresh token rotation and reuse detection); RFC 7009 section 2.2.
const logs = captureLogs();
const DAY = 86_400;

describe('refresh-endpoint family', () => {
  const served = serveIssuer('HS256', logs, { fresh: true });

  it('revokes the whole session when a rotated token comes back after the reuse interval, and emits the event', async () => {
    for (const app of served.apps) {
      const first = await loginThrough(app);
      const second = await refreshWith(app, first.refreshToken);
      expect(second.status).toBe(200);
      // Within the reuse interval a retry is a concurrent refresh, not theft: the same successor comes back.
      served.issuer.clock.advance(4);
      expect((await refreshWith(app, first.refreshToken)).body.refresh_token).toBe(second.body.refresh_token);
      served.issuer.clock.advance(1);
      const reuse = await refreshWith(app, first.refreshToken);
      expectEndpointRefusal(reuse, INVALID_GRANT, [first.refreshToken], served.witnesses, `${app.name}: reuse`);
      const sessionId = first.refreshToken.split('.')[0];
      expect(served.issuer.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'session.reuse_detected', sessionId }),
          expect.objectContaining({ type: 'session.revoked', sessionId, reason: 'reuse' }),
        ]),
      );
      const current = await refreshWith(app, second.body.refresh_token);
      expectEndpointRefusal(current, INVALID_GRANT, [second.body.refresh_token], served.witnesses, `${app.name}: successor`);
      const access = await callWith(app, `Bearer ${second.body.access_token}`);
      expectRefusalResponse(access, { status: 401, error: 'invalid_token' }, [second.body.access_token], served.witnesses, app.name);
      expect(access.body.error_description).toBe('The access token was revoked');
    }
  });

  it('refuses a refresh after revocation and after logout', async () => {
    for (const app of served.apps) {
      const revoked = await loginThrough(app);
      expect((await request(app.url).post('/auth/revoke').type('form').send({ token: revoked.refreshToken })).status).toBe(200);
      expectEndpointRefusal(await refreshWith(app, revoked.refreshToken), INVALID_GRANT, [revoked.refreshToken], served.witnesses, app.name);
      const loggedOut = await loginThrough(app);
      expect((await request(app.url).post('/auth/logout').type('form').send({ refresh_token: loggedOut.refreshToken })).status).toBe(204);
      expectEndpointRefusal(await refreshWith(app, loggedOut.refreshToken), INVALID_GRANT, [loggedOut.refreshToken], served.witnesses, app.name);
    }
  });

  it('refuses a refresh at exactly the expiry instant, and accepts one a second before', async () => {
    for (const app of served.apps) {
      const start = served.issuer.clock();
      const early = await loginThrough(app);
      const late = await loginThrough(app);
      const core = await served.issuer.auth.issue({ subject: 'alice' });
      served.issuer.clock.set(start + 14 * DAY - 1);
      expect((await refreshWith(app, early.refreshToken)).status).toBe(200);
      served.issuer.clock.set(start + 14 * DAY);
      await expect(served.issuer.auth.refresh(core.refreshToken)).rejects.toMatchObject({ code: 'invalid_grant', reason: 'expired' });
      expectEndpointRefusal(await refreshWith(app, late.refreshToken), INVALID_GRANT, [late.refreshToken], served.witnesses, app.name);
    }
  });

  it('refuses a refresh past the maximum session age, however often the session was refreshed', async () => {
    for (const app of served.apps) {
      const start = served.issuer.clock();
      let token = (await loginThrough(app)).refreshToken;
      let control = (await loginThrough(app)).refreshToken;
      for (const day of [13, 26]) {
        served.issuer.clock.set(start + day * DAY);
        token = (await refreshWith(app, token)).body.refresh_token;
        control = (await refreshWith(app, control)).body.refresh_token;
      }
      served.issuer.clock.set(start + 30 * DAY - 1);
      expect((await refreshWith(app, control)).status).toBe(200);
      served.issuer.clock.set(start + 30 * DAY);
      expectEndpointRefusal(await refreshWith(app, token), INVALID_GRANT, [token], served.witnesses, app.name);
      served.issuer.clock.set(start);
    }
  });

  it('answers an unknown token exactly like a revoked, expired, reused or malformed one', async () => {
    for (const app of served.apps) {
      const revoked = await loginThrough(app);
      await served.issuer.auth.revoke(revoked.refreshToken);
      const reused = await loginThrough(app);
      await refreshWith(app, reused.refreshToken);
      const live = await loginThrough(app);
      served.issuer.clock.advance(10);
      const expiredSession = await loginThrough(app);
      const sessionId = live.refreshToken.split('.')[0] ?? '';
      const unknown = [`${'A'.repeat(22)}.${'B'.repeat(43)}`, `${sessionId}.${'C'.repeat(43)}`, 'x', 'a'.repeat(500), live.accessToken];
      const reference = observable(await refreshWith(app, revoked.refreshToken));
      expect(reference.status).toBe(400);
      for (const token of [...unknown, reused.refreshToken]) expect(observable(await refreshWith(app, token)), app.name).toEqual(reference);
      served.issuer.clock.advance(14 * DAY);
      expect(observable(await refreshWith(app, expiredSession.refreshToken)), app.name).toEqual(reference);
      served.issuer.clock.advance(-14 * DAY - 10);
    }
  });

  it('leaves the real token working after near-misses: one character changed, truncated, extended', async () => {
    for (const app of served.apps) {
      const real = (await loginThrough(app)).refreshToken;
      const other = (await loginThrough(app)).refreshToken;
      const [sessionId = '', secret = ''] = real.split('.');
      const [otherId = '', otherSecret = ''] = other.split('.');
      const swap = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
      const nearMisses = [
        `${sessionId}.${swap(secret, 0)}`, `${sessionId}.${swap(secret, 21)}`, `${sessionId}.${swap(secret, 42)}`,
        `${swap(sessionId, 0)}.${secret}`, `${swap(sessionId, sessionId.length - 1)}.${secret}`,
        real.slice(0, -1), `${real}A`, `${real}.`, ` ${real}`, real.toUpperCase(), real.toLowerCase(),
        `${sessionId}.${otherSecret}`, `${otherId}.${secret}`, `${sessionId}${secret}`, `${sessionId}..${secret}`, `${secret}.${sessionId}`,
      ].filter((candidate) => candidate !== real);
      for (const nearMiss of nearMisses) {
        const refused = await refreshWith(app, nearMiss);
        expectEndpointRefusal(refused, INVALID_GRANT, [real], served.witnesses, `${app.name}: ${nearMiss}`);
        expect(refused.text).not.toContain(nearMiss.trim());
        // Whatever revoke and logout answer (refresh-parameters checks that), they must not end the real session.
        expect((await request(app.url).post('/auth/revoke').type('form').send({ token: nearMiss })).status).toBeLessThan(500);
        expect((await request(app.url).post('/auth/logout').type('form').send({ refresh_token: nearMiss })).status).toBe(204);
      }
      expect(served.issuer.events.filter((event) => event.type === 'session.revoked' || event.type === 'session.reuse_detected')).toEqual([]);
      expect((await refreshWith(app, real)).status).toBe(200);
      expect((await refreshWith(app, other)).status).toBe(200);
    }
  });

  it('mints refresh secrets of 256 bits that never repeat (RFC 6749 section 10.10)', async () => {
    const secrets = new Set<string>();
    for (let index = 0; index < 200; index += 1) {
      const { refreshToken } = await served.issuer.auth.issue({ subject: `user-${index}` });
      const [sessionId = '', secret = ''] = refreshToken.split('.');
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      secrets.add(secret);
    }
    expect(secrets.size).toBe(200);
  });
});
