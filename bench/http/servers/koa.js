// One Koa 3 server per process; argv[2] names the authentication in front of GET /api.
// Usage: node bench/http/servers/koa.js <bare|empty|tokenlease|koa-jwt|koa-jwt-keyobject|jose>
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { createSecretKey } from 'node:crypto';
import Koa from 'koa';
import koaJwt from 'koa-jwt';
import { jwtVerify } from 'jose';
import { authenticate } from '../../../dist/adapters/koa/index.js';
import { createAuth } from '../../../dist/src/index.js';
import { listen, variantName } from '../serve.js';
import { AUDIENCE, hmacCryptoKey, ISSUER, SECRET } from '../settings.js';

/** A hand-written bearer middleware on jose, with the key imported once. */
function joseAuthenticate(key) {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (!header.startsWith('Bearer ')) return refuse(ctx);
    try {
      ctx.state.auth = (await jwtVerify(header.slice(7), key, { issuer: ISSUER, audience: AUDIENCE })).payload;
    } catch {
      return refuse(ctx);
    }
    await next();
  };
}

function refuse(ctx) {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
  ctx.body = { error: 'invalid_token' };
}

/** Each variant: the middleware before the route, and where it leaves the subject. */
const variants = {
  bare: async () => ({ middleware: [], subject: undefined }),
  // A middleware that checks nothing: what one more layer costs, the ceiling of any authentication.
  empty: async () => ({
    middleware: [
      (ctx, next) => {
        ctx.state.auth = { subject: 'user-0' };
        return next();
      },
    ],
    subject: (ctx) => ctx.state.auth.subject,
  }),
  tokenlease: async () => ({
    middleware: [authenticate(createAuth({ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } }))],
    subject: (ctx) => ctx.state.auth.subject,
  }),
  // As the koa-jwt README documents it; it answers 401 itself through ctx.throw.
  'koa-jwt': async () => ({ middleware: [koaJwt({ secret: SECRET })], subject: (ctx) => ctx.state.user.sub }),
  // koa-jwt 4 documents secret as a string, Buffer or function, and hands it to jsonwebtoken 9
  // unchanged; jsonwebtoken takes a KeyObject as it is, so no secret function is needed.
  'koa-jwt-keyobject': async () => ({
    middleware: [koaJwt({ secret: createSecretKey(Buffer.from(SECRET)) })],
    subject: (ctx) => ctx.state.user.sub,
  }),
  jose: async () => ({ middleware: [joseAuthenticate(await hmacCryptoKey())], subject: (ctx) => ctx.state.auth.sub }),
};

const { middleware, subject } = await variants[variantName(Object.keys(variants))]();
const app = new Koa();
for (const layer of middleware) app.use(layer);
app.use((ctx) => {
  if (ctx.method !== 'GET' || ctx.path !== '/api') return;
  ctx.body = subject === undefined ? { ok: true } : { ok: true, sub: subject(ctx) };
});
listen(createServer(app.callback()));
