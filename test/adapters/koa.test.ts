import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { authenticate, tokenHandler, tokenRouter, type AuthState } from '../../adapters/koa/index.js';
import { ConfigurationError, type VerifiedToken } from '../../src/index.js';
import { testAuth } from './support/auth-fixture.js';
import { demoLogin } from './support/frameworks.js';
import { serve } from './support/serve.js';

describe('Koa typing', () => {
  it('types ctx.state.auth on the default state, and exports the state type', () => {
    expectTypeOf<Koa.Context['state']['auth']>().toEqualTypeOf<VerifiedToken | undefined>();
    expectTypeOf<Koa.ParameterizedContext<AuthState>['state']['auth']>().toEqualTypeOf<VerifiedToken | undefined>();
  });

  it('refuses a prefix that is not a path without a trailing slash', () => {
    const { auth } = testAuth();
    for (const prefix of ['auth', '/auth/']) {
      expect(() => tokenRouter(auth, { prefix, login: () => null })).toThrow(ConfigurationError);
    }
  });
});

describe.each([
  { name: 'Koa 3', KoaClass: Koa },
  { name: 'Koa 2', KoaClass: Koa2 as typeof Koa },
])('Koa specifics on $name', ({ KoaClass }) => {
  it('answers only under its prefix and hands every other path to next()', async () => {
    const { auth } = testAuth();
    const app = new KoaClass();
    app.use(tokenRouter(auth, { prefix: '/auth', login: ({ body }) => demoLogin(body) }));
    app.use((ctx) => {
      ctx.body = { fellThrough: ctx.path };
    });
    const url = await serve(app.callback());
    for (const path of ['/auth', '/auth/', '/authx/token', '/auth/token/extra', '/login']) {
      expect((await request(url).post(path)).body).toEqual({ fellThrough: path });
    }
    expect((await request(url).post('/auth/login').send({ username: 'alice', password: 'alice-password' })).status).toBe(200);
  });

  it('uses the body a body parser already put on ctx.request.body, and a handler routed by the app', async () => {
    const { auth } = testAuth();
    const app = new KoaClass();
    const refresh = tokenHandler(auth);
    app.use(async (ctx, next) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      Object.assign(ctx.request, { body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
      await next();
    });
    app.use(async (ctx, next) => (ctx.path === '/oauth/token' ? refresh(ctx, next) : next()));
    const url = await serve(app.callback());
    const { refreshToken } = await auth.issue({ subject: 'alice' });
    const response = await request(url).post('/oauth/token').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('Bearer');
  });

  it('reads the token where getToken says', async () => {
    const { auth } = testAuth();
    const app = new KoaClass();
    app.use(authenticate(auth, { getToken: (ctx) => ctx.get('X-Access-Token') || undefined }));
    app.use((ctx) => {
      ctx.body = { subject: ctx.state.auth?.subject };
    });
    const url = await serve(app.callback());
    const { accessToken } = await auth.issue({ subject: 'alice' });
    expect((await request(url).get('/').set('X-Access-Token', accessToken)).body).toEqual({ subject: 'alice' });
    expect((await request(url).get('/').set('Authorization', `Bearer ${accessToken}`)).status).toBe(401);
  });
});
