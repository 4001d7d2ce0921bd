import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segment } from '../support/forge.js';
import { closeApps, startApps, type RunningApp } from './support/apps.js';
import { createIssuer, type Issuer } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';
import { callWith, expectBearerRefused, expectRefusalResponse, INVALID_REQUEST, NO_CREDENTIALS, type Refusal } from './support/refusals.js';

// RFC 6750 sections 2.1 (b64token), 2.2 and 2.3 (body and query methods, not offered here), 3 and 3.1
// (no error information without credentials; invalid_request for a malformed request); RFC 9110 section
// 11.1 (the scheme is case-insensitive) and 5.3 (a field sent twice).
const logs = captureLogs();

describe('authorization-header family', () => {
  let issuer: Issuer;
  let apps: RunningApp[];
  let token: string;
  const witnesses = { logs, get events() { return issuer.events; } };

  beforeAll(async () => {
    issuer = await createIssuer('HS256');
    apps = await startApps(issuer.auth);
    token = (await issuer.issue()).token;
  });
  afterAll(() => closeApps(apps));

  it('accepts the scheme in any case and one or more spaces before the token', async () => {
    for (const value of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `BeArEr ${token}`, `Bearer  ${token}`, `Bearer      ${token}`, `Bearer ${token} `]) {
      for (const app of apps) expect([app.name, (await callWith(app, value)).status]).toEqual([app.name, 200]);
    }
  });

  it('treats no header, a bare or empty Bearer and other schemes as no credentials (RFC 6750 section 3.1)', async () => {
    const values = [undefined, 'Bearer', 'Bearer ', 'Bearer    ', 'bearer', 'Basic YWxpY2U6cHc=', `Token ${token}`, `JWT ${token}`, `Bearer\t${token}`, `Bearer\u00a0${token}`, `Bearer%20${token}`, `Bearer${token}`];
    for (const value of values) await expectBearerRefused(apps, value, NO_CREDENTIALS, witnesses, [token]);
  });

  it('refuses two Authorization lines, lists, quotes, NBSP and percent-encoding with 400 invalid_request', async () => {
    const percentEncoded = token.replace(/\./g, '%2E');
    const values: (string | string[])[] = [
      [`Bearer ${token}`, `Bearer ${token}`],
      [`Bearer ${token}`, 'Basic YWxpY2U6cHc='],
      ['Basic YWxpY2U6cHc=', `Bearer ${token}`],
      [`Bearer ${token}`, ''],
      `Bearer ${token}, Bearer ${token}`,
      `Bearer ${token},`,
      `Basic YWxpY2U6cHc=, Bearer ${token}`,
      `Bearer ${token},${token}`,
      `Bearer "${token}"`,
      `Bearer '${token}'`,
      `Bearer ${token}\u00a0`,
      `Bearer \u00a0${token}`,
      `Bearer ${percentEncoded}`,
      `Bearer ${token} extra`,
      `Bearer ${token};`,
      '',
    ];
    for (const value of values) await expectBearerRefused(apps, value, INVALID_REQUEST, witnesses, [token]);
  });

  it('refuses tokens in the query string (RFC 6750 section 2.3; RFC 9700 section 4.3), with or without a header', async () => {
    for (const app of apps) {
      const calls = [
        request(app.url).get(`/api/me?access_token=${token}`),
        request(app.url).get(`/api/me?access_token=${token}`).set('Authorization', `Bearer ${token}`),
        request(app.url).get(`/api/me?page=1&access%5Ftoken=${token}`),
        request(app.url).post(`/api/me?access_token=${token}`).type('form').send({ a: '1' }),
      ];
      for (const call of calls) expectRefusalResponse(await call, INVALID_REQUEST, [token], witnesses, app.name);
    }
  });

  it('never reads a token from the body, another header or a cookie (RFC 6750 section 2.2 is not offered)', async () => {
    for (const app of apps) {
      const calls = [
        request(app.url).post('/api/me').type('form').send({ access_token: token }),
        request(app.url).post('/api/me').send({ access_token: token }),
        request(app.url).get('/api/me').set('X-Access-Token', token),
        request(app.url).get('/api/me').set('Cookie', `access_token=${token}; token=${token}`),
      ];
      for (const call of calls) expectRefusalResponse(await call, NO_CREDENTIALS, [token], witnesses, app.name);
    }
  });

  it('with optional, lets a bare Bearer through anonymously but still refuses a malformed header', async () => {
    const optional = await startApps(issuer.auth, { protect: { optional: true } });
    try {
      for (const app of optional) {
        for (const value of [undefined, 'Bearer', 'Basic YWxpY2U6cHc=']) {
          expect([app.name, (await callWith(app, value)).body]).toEqual([app.name, { subject: null }]);
        }
        expectRefusalResponse(await callWith(app, `Bearer "${token}"`), INVALID_REQUEST, [token], witnesses, app.name);
        expectRefusalResponse(await callWith(app, 'Bearer a.b.c'), { status: 401, error: 'invalid_token' }, [], witnesses, app.name);
      }
    } finally {
      await closeApps(optional);
    }
  });

  it('lets only a CORS preflight through unchecked: an OPTIONS request with credentials, or without preflight headers, is authenticated', async () => {
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.c2lnbmF0dXJl`;
    for (const app of apps) {
      // Fetch standard: a preflight carries Origin and Access-Control-Request-Method, and never credentials.
      const preflight = await request(app.url).options('/api/me').set({ Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'DELETE', 'Access-Control-Request-Headers': 'authorization' });
      expect([app.name, preflight.status]).toEqual([app.name, 200]);
      expectRefusalResponse(await request(app.url).options('/api/me'), NO_CREDENTIALS, [], witnesses, `${app.name}: a plain OPTIONS`);
      const withForged = await request(app.url).options('/api/me').set({ Authorization: `Bearer ${forged}`, 'Access-Control-Request-Method': 'DELETE' });
      expectRefusalResponse(withForged, { status: 401, error: 'invalid_token' }, [forged], witnesses, `${app.name}: OPTIONS with a forged token`);
      const withReal = await request(app.url).options('/api/me').set('Authorization', `Bearer ${token}`);
      expect([app.name, withReal.status, withReal.body]).toEqual([app.name, 200, { subject: 'alice' }]);
    }
  });

  it('answers adversarial 8 KB Authorization values in well under 100 ms', async () => {
    const deepHeader = segment(`{"alg":"HS256","typ":"at+jwt","kid":"k","x":${'['.repeat(2900)}${']'.repeat(2900)}}`);
    const manyMembers = segment(`{${Array.from({ length: 700 }, (_, index) => `"m${index}":0`).join(',')}}`);
    const hostile: [string, Refusal][] = [
      [`Bearer ${'a'.repeat(8185)}`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${'.'.repeat(8185)}`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${'a.'.repeat(4092)}`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${'='.repeat(8000)}a`, INVALID_REQUEST],
      [`Bearer a${'='.repeat(8000)}a`, INVALID_REQUEST],
      [`Bearer ${' '.repeat(8000)}x`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${'Bearer '.repeat(1150)}`, INVALID_REQUEST],
      ['Bearer x, '.repeat(819), INVALID_REQUEST],
      [','.repeat(8192), NO_CREDENTIALS],
      [`${'b'.repeat(8192)} x`, NO_CREDENTIALS],
      [`Bearer ${deepHeader}.e30.c2ln`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${manyMembers}.e30.c2ln`, { status: 401, error: 'invalid_token' }],
      [`Bearer ${segment('{"a":"' + '\\\\'.repeat(3000) + '"}')}.e30.c2ln`, { status: 401, error: 'invalid_token' }],
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const app of apps) {
        for (const [value, expected] of hostile) {
          expect(value.length, 'an 8 KB value').toBeGreaterThanOrEqual(6000);
          const timings: number[] = [];
          for (let attempt = 0; attempt < 3; attempt += 1) {
            const { status, elapsed } = await timedGet(agent, `${app.url}/api/me`, { Authorization: value });
            expect([app.name, value.slice(0, 20), status]).toEqual([app.name, value.slice(0, 20), expected.status]);
            timings.push(elapsed);
          }
          expect(Math.min(...timings), `${app.name}: ${value.slice(0, 20)}`).toBeLessThan(100);
        }
        await expectBearerRefused([app], hostile[0]?.[0], { status: 401, error: 'invalid_token' }, witnesses);
      }
    } finally {
      agent.destroy();
    }
  });
});

/** One GET on a keep-alive connection: its status and its round trip in milliseconds. */
function timedGet(agent: Agent, url: string, headers: OutgoingHttpHeaders): Promise<{ status: number; elapsed: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const sent = httpRequest(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, elapsed: performance.now() - started }));
    });
    sent.on('error', reject);
    sent.end();
  });
}
