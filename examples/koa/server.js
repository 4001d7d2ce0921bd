// The tokenlease Koa example: a login, a protected JSON route and the token endpoints,
// with sessions in SQLite. Run `npm run build` once, then `node examples/koa/server.js`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Koa from 'koa';
import { createAuth, generateSigningKey } from 'tokenlease';
import { authenticate, tokenRouter } from 'tokenlease/koa';
import { SqliteStore } from 'tokenlease/sqlite';

/** Demo users. A real app keeps password hashes (scrypt, argon2), never passwords. */
const USERS = new Map([
  ['alice', 'alice-password'],
  ['bob', 'bob-password'],
]);

/** Compares SHA-256 digests (equal lengths) in constant time, so that timing reveals nothing. */
function checkPassword(username, password) {
  const expected = USERS.get(String(username)) ?? '';
  const digest = (text) => createHash('sha256').update(text).digest();
  const same = timingSafeEqual(digest(String(password ?? '')), digest(expected));
  return same && expected !== '';
}

/**
 * Builds the app: `POST /auth/login|token|revoke|logout`, `GET /auth/jwks.json` and `GET /api/me`.
 * Returns the app and a `close()` that releases the store.
 */
export function createApp({ dbPath = 'data/tokenlease.db', secret, issuer = 'http://localhost:3001' } = {}) {
  mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  const store = new SqliteStore({ path: dbPath });
  const auth = createAuth({ issuer, audience: 'tokenlease-example', keys: { secret }, store });

  const app = new Koa();
  app.use(
    tokenRouter(auth, {
      prefix: '/auth',
      // body is the parsed form or JSON body; returning null answers 401 invalid_credentials.
      login: ({ body }) => (checkPassword(body.username, body.password) ? { subject: String(body.username), scope: 'profile' } : null),
    }),
  );
  const guard = authenticate(auth);
  const me = (ctx) => {
    const { subject, scope, sessionId, expiresAt } = ctx.state.auth;
    ctx.body = { subject, scope, sessionId, expiresAt };
  };
  app.use((ctx, next) => (ctx.method === 'GET' && ctx.path === '/api/me' ? guard(ctx, () => me(ctx)) : next()));

  return {
    app,
    close() {
      auth.close();
      store.close();
    },
  };
}

function start() {
  const port = Number(process.env.PORT ?? 3001);
  let secret = process.env.TOKENLEASE_SECRET;
  if (secret === undefined || secret === '') {
    secret = generateSigningKey('HS256');
    console.warn('warning: TOKENLEASE_SECRET is not set; using a random secret, so access tokens end with this process.');
  }
  const { app, close } = createApp({ secret, issuer: `http://localhost:${port}` });
  const server = app.listen(port, () => {
    const url = `http://localhost:${server.address().port}`;
    console.log(`tokenlease Koa example listening on ${url}
Try it:
  curl -s -X POST ${url}/auth/login -d username=alice -d password=alice-password
  curl -s ${url}/api/me -H "Authorization: Bearer <access_token>"
  curl -s -X POST ${url}/auth/token -d grant_type=refresh_token -d refresh_token=<refresh_token>
  curl -s -X POST ${url}/auth/revoke -d token=<refresh_token>
  curl -si ${url}/api/me`);
  });
  const stop = () => server.close(() => close());
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) start();
