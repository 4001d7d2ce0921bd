import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from './support/apps.js';
import { captureLogs } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { callWith, expectRefusalResponse, INVALID_TOKEN, NO_CREDENTIALS } from './support/refusals.js';
import { expectEndpointRefusal, INVALID_GRANT, INVALID_REQUEST, loginThrough } from './support/token-endpoint.js';

// RFC 6749 section 10.12 and RFC 9700 section 4.7 (CSRF), RFC 6265 section 5.4 (one Cookie header,
// names not unique), RFC 6750 section 2.1 (the Authorization header is the one credential).
const logs = captureLogs();
const APP = 'https://app.example.com';
const NAME = 'tokenlease_refresh';

describe('refresh-cookie family (cookie mode)', () => {
  const served = serveIssuer('HS256', logs, { fresh: true, app: { cookie: { allowedOrigins: [APP] } } });

  /** A cookie-carried refresh from `origin` (none when `undefined`). */
  function refreshFrom(app: RunningApp, origin: string | readonly string[] | undefined, cookie: string | readonly string[]): request.Test {
    const call = request(app.url).post('/auth/token').set({ Cookie: cookie as string | string[] });
    return (origin === undefined ? call : call.set({ Origin: origin as string | string[] })).type('form').send({ grant_type: 'refresh_token' });
  }

  async function expectStillLive(app: RunningApp, token: string): Promise<void> {
    expect((await refreshFrom(app, APP, `${NAME}=${token}`)).status, `${app.name}: the cookie's session`).toBe(200);
  }

  it('refuses cookie-carried requests from a foreign, near-miss, null or missing Origin (CSRF)', async () => {
    const origins = [
      'https://evil.example', 'null', `${APP}.evil.example`, 'https://evil-app.example.com', 'https://app.example.co', APP.toUpperCase(),
      `${APP}/`, `${APP}:443`, 'http://app.example.com', [APP, 'https://evil.example'], ['https://evil.example', APP], undefined,
    ];
    for (const app of served.apps) {
      const { refreshToken } = await loginThrough(app, APP);
      for (const origin of origins) {
        const response = await refreshFrom(app, origin, `${NAME}=${refreshToken}`);
        expectEndpointRefusal(response, { status: 403, error: 'invalid_request' }, [refreshToken], served.witnesses, `${app.name}: ${String(origin)}`);
        const logout = await request(app.url).post('/auth/logout').set({ Cookie: `${NAME}=${refreshToken}`, ...(typeof origin === 'string' ? { Origin: origin } : {}) });
        expectEndpointRefusal(logout, { status: 403, error: 'invalid_request' }, [refreshToken], served.witnesses, `${app.name}: logout ${String(origin)}`);
      }
      await expectStillLive(app, refreshToken);
    }
  });

  it('never falls back to the cookie: not for an explicit refresh_token, not for an Authorization header', async () => {
    for (const app of served.apps) {
      const { accessToken, refreshToken } = await loginThrough(app, APP);
      const cookie = `${NAME}=${refreshToken}`;
      const explicit = await request(app.url).post('/auth/token').set({ Origin: APP, Cookie: cookie }).type('form').send({ grant_type: 'refresh_token', refresh_token: `${refreshToken.slice(0, -1)}${refreshToken.endsWith('A') ? 'B' : 'A'}` });
      expectEndpointRefusal(explicit, INVALID_GRANT, [refreshToken], served.witnesses, app.name);
      const bearer = await request(app.url).post('/auth/token').set({ Origin: APP, Cookie: cookie, Authorization: 'Bearer garbage' }).type('form').send({ grant_type: 'refresh_token', refresh_token: 'garbage' });
      expectEndpointRefusal(bearer, INVALID_GRANT, [refreshToken], served.witnesses, app.name);
      // A protected route reads only the Authorization header: the refresh cookie is never an access credential.
      for (const authorization of ['Bearer garbage.token.here', `Bearer ${refreshToken}`]) {
        const response = await callWith(app, authorization).set('Cookie', cookie);
        expectRefusalResponse(response, INVALID_TOKEN, [refreshToken], served.witnesses, app.name);
      }
      expectRefusalResponse(await callWith(app, undefined).set('Cookie', cookie), NO_CREDENTIALS, [refreshToken], served.witnesses, app.name);
      expect((await callWith(app, `Bearer ${accessToken}`).set('Cookie', `${NAME}=garbage`)).status).toBe(200);
      await expectStillLive(app, refreshToken);
    }
  });

  it('refuses a duplicated cookie name, in one Cookie header or in two, without rotating the session', async () => {
    for (const app of served.apps) {
      const { refreshToken } = await loginThrough(app, APP);
      const cookies: (string | string[])[] = [
        `${NAME}=planted; ${NAME}=${refreshToken}`,
        `${NAME}=${refreshToken}; ${NAME}=planted`,
        `${NAME}=${refreshToken}; ${NAME}=${refreshToken}`,
        `${NAME}=${refreshToken};${NAME}=planted`,
        [`${NAME}=${refreshToken}`, `${NAME}=planted`],
        `theme=dark; ${NAME} =planted; ${NAME}=${refreshToken}`,
      ];
      for (const cookie of cookies) {
        expectEndpointRefusal(await refreshFrom(app, APP, cookie), INVALID_REQUEST, [refreshToken], served.witnesses, `${app.name}: ${String(cookie)}`);
      }
      await expectStillLive(app, refreshToken);
    }
  });

  it('keeps the refresh token out of every body and lets no refusal set or clear the cookie', async () => {
    for (const app of served.apps) {
      const login = await request(app.url).post('/auth/login').set('Origin', APP).type('form').send({ username: 'alice', password: 'alice-password' });
      const cookie = String(login.headers['set-cookie']?.[0]);
      const refreshToken = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));
      expect(login.text).not.toContain(refreshToken);
      expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
      const wrongPassword = await request(app.url).post('/auth/login').set('Origin', APP).type('form').send({ username: 'alice', password: 'guess' });
      expect([wrongPassword.status, wrongPassword.body.error, wrongPassword.headers['set-cookie']]).toEqual([401, 'invalid_credentials', undefined]);
      const refreshed = await refreshFrom(app, APP, `${NAME}=${refreshToken}`);
      expect(refreshed.text).not.toContain(String(refreshed.headers['set-cookie']?.[0]).split(';')[0]?.split('=')[1]);
    }
  });
});
