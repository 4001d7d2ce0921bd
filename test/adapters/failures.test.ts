import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, type TokenVerifier } from '../../src/index.js';
import { testAuth } from './support/auth-fixture.js';
import { failingStore } from './support/failing-store.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

const UNAVAILABLE = { error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable, retry later' };
const ALICE = { username: 'alice', password: 'alice-password' };

describe.each(frameworks)('failures on $name', (framework) => {
  it('answers 503 with Retry-After when the store fails or does not answer in time', async () => {
    const working = testAuth();
    const { accessToken, refreshToken } = await working.auth.issue({ subject: 'alice' });
    for (const store of [failingStore('fail'), failingStore('hang')]) {
      const { auth } = testAuth({ store, storeTimeout: '50ms' });
      const url = await serve(framework.app({ verifier: auth, protect: { checkSession: true }, router: { auth } }));
      const calls = [
        request(url).post('/auth/login').send(ALICE),
        request(url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        request(url).post('/auth/logout').send({ refresh_token: refreshToken }),
        request(url).get('/api/me').set('Authorization', `Bearer ${accessToken}`),
      ];
      for (const call of calls) {
        const response = await call;
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.body).toEqual(UNAVAILABLE);
      }
    }
  });

  it("hands errors it does not own to the framework's error path", async () => {
    const { auth } = testAuth();
    const broken: TokenVerifier = { realm: 'r', verify: () => Promise.reject(new TypeError('verifier bug')) };
    const login = (body: Record<string, unknown>) => {
      if (body['username'] === 'crash') throw new Error('user database down');
      return { subject: '' };
    };
    const url = await serve(framework.app({ verifier: broken, router: { auth, login } }));
    const handledBy = framework.kind;
    const me = await request(url).get('/api/me').set('Authorization', 'Bearer abc');
    expect([me.status, me.body]).toEqual([500, { handledBy, message: 'verifier bug' }]);
    const crash = await request(url).post('/auth/login').send({ username: 'crash' });
    expect([crash.status, crash.body]).toEqual([500, { handledBy, message: 'user database down' }]);
    const badSubject = await request(url).post('/auth/login').send({ username: 'anyone' });
    expect(badSubject.status).toBe(500);
    expect(badSubject.body).toMatchObject({ handledBy, message: expect.stringContaining('"subject"') });
  });

  it('answers a tokenlease error thrown by login itself', async () => {
    const { auth } = testAuth();
    const login = () => {
      throw new InvalidTokenError('step_up_required');
    };
    const url = await serve(framework.app({ verifier: auth, router: { auth, login } }));
    const response = await request(url).post('/auth/login').send({});
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
  });
});
