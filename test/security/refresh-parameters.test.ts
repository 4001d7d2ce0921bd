import { request as httpRequest } from 'node:http';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import * as forExpress from '../../adapters/express/index.js';
import { listen, login, type RunningApp } from './support/apps.js';
import { captureLogs, expectNoEcho } from './support/leaks.js';
import { serveIssuer } from './support/served-issuer.js';
import { expectEndpointRefusal, INVALID_REQUEST, loginThrough, observable, postRaw, refreshWith } from './support/token-endpoint.js';

// RFC 6749 sections 3.2 (POST only, parameters in the body, never twice), 5.2 (error codes) and 6;
// RFC 7009 sections 2.1 and 2.2 (200 for invalid tokens) and 2.2.1 (unsupported_token_type).
const logs = captureLogs();

describe('refresh-parameters family', () => {
  const served = serveIssuer('HS256', logs, { fresh: true });

  /** Asserts the live token was neither rotated nor revoked by what came before: it refreshes now. */
  async function expectStillLive(app: RunningApp, token: string): Promise<void> {
    expect((await refreshWith(app, token)).status, `${app.name}: the live token`).toBe(200);
  }

  it('refuses duplicate, bracketed and non-string parameters, form or JSON, without rotating the token', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      const form = [
        `grant_type=refresh_token&grant_type=refresh_token&refresh_token=${live}`,
        `grant_type=refresh_token&refresh_token=${live}&refresh_token=${live}`,
        `grant_type=refresh_token&refresh_token=garbage&refresh_token=${live}`,
        `grant_type=refresh_token&refresh_token[]=${live}`,
        `grant_type=refresh_token&refresh_token[0]=${live}`,
        `grant_type[]=refresh_token&refresh_token=${live}`,
        `grant_type=refresh_token&__proto__[refresh_token]=${live}`,
        'grant_type=refresh_token&refresh_token=',
      ];
      const json = [
        { grant_type: 'refresh_token', refresh_token: [live] },
        { grant_type: 'refresh_token', refresh_token: { $ne: null } },
        { grant_type: ['refresh_token'], refresh_token: live },
        { grant_type: 'refresh_token', refresh_token: 42 },
        JSON.parse(`{"__proto__":{"grant_type":"refresh_token","refresh_token":"${live}"}}`) as object,
      ];
      for (const body of form) expectEndpointRefusal(await postRaw(app, '/auth/token', body), INVALID_REQUEST, [live], served.witnesses, `${app.name}: ${body}`);
      for (const body of json) {
        expectEndpointRefusal(await postRaw(app, '/auth/token', JSON.stringify(body), 'application/json'), INVALID_REQUEST, [live], served.witnesses, app.name);
      }
      await expectStillLive(app, live);
    }
  });

  it('refuses duplicate member names in a JSON body, as it refuses repeated form parameters (RFC 6749 section 3.2)', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      const bodies = [
        `{"grant_type":"refresh_token","refresh_token":"garbage","refresh_token":"${live}"}`,
        `{"grant_type":"password","grant_type":"refresh_token","refresh_token":"${live}"}`,
      ];
      for (const body of bodies) {
        expectEndpointRefusal(await postRaw(app, '/auth/token', body, 'application/json'), INVALID_REQUEST, [live], served.witnesses, `${app.name}: ${body}`);
      }
      await expectStillLive(app, live);
    }
  });

  it('refuses bracketed and repeated parameters an app-level qs body parser turned into arrays and objects (Express)', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: true }), express.json());
    app.use('/auth', forExpress.tokenRouter(served.issuer.auth, { login: ({ body }) => login(body) }));
    const listening = await listen(app);
    const running: RunningApp = { name: 'Express 5', url: listening.url, close: listening.close };
    try {
      const live = (await loginThrough(running)).refreshToken;
      const bodies = [`grant_type=refresh_token&refresh_token[]=${live}`, `grant_type=refresh_token&refresh_token[a]=${live}`, `grant_type=refresh_token&refresh_token=${live}&refresh_token=${live}`];
      for (const body of bodies) expectEndpointRefusal(await postRaw(running, '/auth/token', body), INVALID_REQUEST, [live], served.witnesses, body);
      await expectStillLive(running, live);
    } finally {
      await listening.close();
    }
  });

  it('refuses every grant type but refresh_token with unsupported_grant_type, and a missing one with invalid_request', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      const foreign = ['password', 'authorization_code', 'client_credentials', 'implicit', 'REFRESH_TOKEN', 'refresh_token ', 'refresh-token', 'urn:ietf:params:oauth:grant-type:jwt-bearer'];
      for (const grant of foreign) {
        const response = await request(app.url).post('/auth/token').type('form').send({ grant_type: grant, refresh_token: live, username: 'alice', password: 'alice-password' });
        expectEndpointRefusal(response, { status: 400, error: 'unsupported_grant_type' }, [live], served.witnesses, `${app.name}: ${grant}`);
      }
      for (const body of [{ refresh_token: live }, { grant_type: '', refresh_token: live }, {}]) {
        expectEndpointRefusal(await request(app.url).post('/auth/token').type('form').send(body), INVALID_REQUEST, [live], served.witnesses, app.name);
      }
      await expectStillLive(app, live);
    }
  });

  it('refuses parameters in the query string, even next to a valid body', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      const calls = [
        request(app.url).post(`/auth/token?grant_type=refresh_token&refresh_token=${live}`),
        request(app.url).post(`/auth/token?refresh_token=${live}`).type('form').send({ grant_type: 'refresh_token', refresh_token: live }),
        request(app.url).post(`/auth/revoke?token=${live}`),
        request(app.url).post(`/auth/revoke?token=${live}`).type('form').send({ token: live }),
        request(app.url).post(`/auth/logout?refresh_token=${live}`).type('form').send({ refresh_token: live }),
      ];
      for (const call of calls) expectEndpointRefusal(await call, INVALID_REQUEST, [live], served.witnesses, app.name);
      await expectStillLive(app, live);
    }
  });

  it('answers 405 with Allow: POST to GET, PUT, DELETE and PATCH on every token endpoint', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      for (const path of [`/auth/token?grant_type=refresh_token&refresh_token=${live}`, `/auth/revoke?token=${live}`, `/auth/logout?refresh_token=${live}`, '/auth/login']) {
        for (const method of ['get', 'put', 'delete', 'patch'] as const) {
          const response = await request(app.url)[method](path);
          expectEndpointRefusal(response, { status: 405, error: 'invalid_request' }, [live], served.witnesses, `${app.name}: ${method} ${path}`);
          expect(response.headers['allow']).toBe('POST');
        }
      }
      await expectStillLive(app, live);
    }
  });

  it('answers 200 to the revocation of unknown or garbage tokens, exactly as to a live one (RFC 7009 section 2.2)', async () => {
    for (const app of served.apps) {
      const live = await loginThrough(app);
      const [sessionId = ''] = live.refreshToken.split('.');
      const garbage = [`${'A'.repeat(22)}.${'B'.repeat(43)}`, `${sessionId}.${'C'.repeat(43)}`, 'x', 'a'.repeat(1000), 'é', '../../etc/passwd', '"quoted"', 'a.b.c', `${sessionId}..${'C'.repeat(43)}`, '{}'];
      const answers: ReturnType<typeof observable>[] = [];
      for (const token of garbage) {
        const response = await request(app.url).post('/auth/revoke').type('form').send({ token, token_type_hint: 'refresh_token' });
        expect([app.name, token, response.status, response.text]).toEqual([app.name, token, 200, '']);
        expectNoEcho(response, [token], served.witnesses);
        answers.push(observable(response));
      }
      await expectStillLive(app, live.refreshToken);
      const revoked = await request(app.url).post('/auth/revoke').type('form').send({ token: live.refreshToken, token_type_hint: 'refresh_token' });
      expect(observable(revoked)).toEqual(answers[0]);
      expect(answers.every((answer) => JSON.stringify(answer) === JSON.stringify(answers[0]))).toBe(true);
      // The hint is only a hint (RFC 7009 section 2.1): a wrong one still revokes.
      const hinted = await loginThrough(app);
      expect((await request(app.url).post('/auth/revoke').type('form').send({ token: hinted.refreshToken, token_type_hint: 'access_token' })).status).toBe(200);
      expect((await refreshWith(app, hinted.refreshToken)).status).toBe(400);
    }
  });

  it("refuses to revoke this server's access tokens with unsupported_token_type (RFC 7009 section 2.2.1), and a missing token", async () => {
    for (const app of served.apps) {
      const live = await loginThrough(app);
      const access = await request(app.url).post('/auth/revoke').type('form').send({ token: live.accessToken });
      expectEndpointRefusal(access, { status: 400, error: 'unsupported_token_type' }, [live.accessToken], served.witnesses, app.name);
      expectEndpointRefusal(await request(app.url).post('/auth/revoke').type('form').send({}), INVALID_REQUEST, [], served.witnesses, app.name);
      await expectStillLive(app, live.refreshToken);
    }
  });

  it('refuses bodies over the bound with 413, a declared length before reading anything', async () => {
    for (const app of served.apps) {
      const live = (await loginThrough(app)).refreshToken;
      const padded = `grant_type=refresh_token&refresh_token=${live}&pad=${'x'.repeat(20_000)}`;
      expectEndpointRefusal(await postRaw(app, '/auth/token', padded), { status: 413, error: 'invalid_request' }, [live], served.witnesses, app.name);
      const declared = await new Promise<number>((resolve, reject) => {
        // A client that announces a gigabyte and sends nothing must be answered, not waited for.
        const sent = httpRequest(`${app.url}/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '1000000000' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          sent.destroy();
        });
        sent.on('error', reject);
        sent.flushHeaders();
      });
      expect([app.name, declared]).toEqual([app.name, 413]);
      await expectStillLive(app, live);
    }
  });

  it('answers a 3,000-deep JSON body with invalid_request, not a crash', async () => {
    for (const app of served.apps) {
      for (const body of [`${'['.repeat(3000)}${']'.repeat(3000)}`, `{"grant_type":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`]) {
        expectEndpointRefusal(await postRaw(app, '/auth/token', body, 'application/json'), INVALID_REQUEST, [], served.witnesses, app.name);
      }
    }
  });
});
