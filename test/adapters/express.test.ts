import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { authenticate, tokenHandler, tokenRouter } from '../../adapters/express/index.js';
import type { VerifiedToken } from '../../src/index.js';
import { testAuth } from './support/auth-fixture.js';
import { demoLogin } from './support/frameworks.js';
import { serve } from './support/serve.js';

const APP = 'https://app.example.com';

describe('Express typing', () => {
  it('types req.auth by module augmentation, so that users never cast', () => {
    expectTypeOf<express.Request['auth']>().toEqualTypeOf<VerifiedToken | undefined>();
  });
});

describe.each([
  { name: 'Express 5', createApp: express },
  { name: 'Express 4', createApp: express4 as typeof express },
])('Express specifics on $name', ({ createApp }) => {
  it('adds only a refresh endpoint to an existing app, using what its body parsers parsed and reading what they skipped', async () => {
    const { auth } = testAuth();
    const app = createApp();
    app.post('/oauth/token', createApp.json(), tokenHandler(auth));
    app.post('/parsed/token', createApp.urlencoded({ extended: false }), tokenHandler(auth));
    const url = await serve(app);
    const { refreshToken } = await auth.issue({ subject: 'alice' });
    const json = await request(url).post('/oauth/token').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(json.status).toBe(200);
    const form = await request(url).post('/oauth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: json.body.refresh_token });
    expect(form.status).toBe(200);
    const parsed = await request(url).post('/parsed/token').type('form').send({ grant_type: 'refresh_token', refresh_token: form.body.refresh_token });
    expect(parsed.status).toBe(200);
    const repeated = await request(url).post('/parsed/token').type('form').send('grant_type=refresh_token&grant_type=refresh_token');
    expect(repeated.body).toEqual({ error: 'invalid_request', error_description: 'The parameter grant_type is repeated' });
  });

  it("scopes the cookie to the router's mount path, however deep", async () => {
    const { auth } = testAuth();
    const app = createApp();
    const cookie = { allowedOrigins: [APP] };
    app.use('/api/v1/auth', tokenRouter(auth, { cookie, login: ({ body }) => demoLogin(body) }));
    app.post('/refresh', tokenHandler(auth, { cookie }));
    const url = await serve(app);
    const login = await request(url).post('/api/v1/auth/login').set('Origin', APP).send({ username: 'alice', password: 'alice-password' });
    expect(login.headers['set-cookie']?.[0]).toContain('; Path=/api/v1/auth; ');
    const token = String(login.headers['set-cookie']?.[0]).split(';')[0];
    const alone = await request(url).post('/refresh').set('Origin', APP).set('Cookie', String(token)).send({ grant_type: 'refresh_token' });
    expect(alone.status).toBe(200);
    expect(alone.headers['set-cookie']?.[0]).toContain('; Path=/; ');
  });

  it('reads the token where getToken says', async () => {
    const { auth } = testAuth();
    const app = createApp();
    app.get('/api/me', authenticate(auth, { getToken: (req) => req.get('X-Access-Token') }), (req, res) => {
      res.json({ subject: req.auth?.subject });
    });
    const url = await serve(app);
    const { accessToken } = await auth.issue({ subject: 'alice' });
    expect((await request(url).get('/api/me').set('X-Access-Token', accessToken)).body).toEqual({ subject: 'alice' });
    const ignored = await request(url).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
    expect(ignored.status).toBe(401);
  });
});
