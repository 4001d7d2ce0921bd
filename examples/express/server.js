// The tokenlease Express example: a login, protected JSON routes, the token endpoints for API
// clients (/auth) and for the browser page (/web/auth, cookie mode), and the page itself at /.
// Run `npm start`, or `npm run build` once and then `node examples/express/server.js`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { createAuth, generateSigningKey, TokenleaseError } from 'tokenlease';
import { authenticate, tokenRouter } from 'tokenlease/express';
import { openStore } from './open-store.js';

/** Demo users. A real app keeps password hashes (scrypt, argon2), never passwords. */
const USERS = new Map([
  ['alice', 'alice-password'],
  ['bob', 'bob-password'],
]);

/** The static page of the browser demo. */
const PAGE_FOLDER = join(import.meta.dirname, '..', 'browser');

/** Compares SHA-256 digests (equal lengths) in constant time, so that timing reveals nothing. */
function checkPassword(username, password) {
  const expected = USERS.get(String(username)) ?? '';
  const digest = (text) => createHash('sha256').update(text).digest();
  const same = timingSafeEqual(digest(String(password ?? '')), digest(expected));
  return same && expected !== '';
}

/** The app's login: `body` is the parsed form or JSON body; null answers 401 invalid_credentials. */
function login({ body }) {
  return checkPassword(body.username, body.password) ? { subject: String(body.username), scope: 'profile' } : null;
}

/**
 * Builds the app: the page at `/`; `POST /auth/login|token|revoke|logout` and
 * `GET /auth/jwks.json` with tokens in JSON (curl, API clients); the same under
 * `/web/auth` in cookie mode (the page); `GET /api/me`, `GET /api/sessions` and
 * `DELETE /api/sessions/:id`. `store` is `sqlite:PATH` or `redis://host:port`.
 * Returns the app, `ready` (the store answers) and `close()`, which releases the store.
 */
export function createApp({
  dbPath = 'data/tokenlease.db',
  store = `sqlite:${dbPath}`,
  secret,
  issuer = 'http://localhost:3000',
  accessTokenTtl = '10m',
  refreshTokenTtl = '14d',
  reuseInterval = 5,
  origins = [new URL(issuer).origin],
  onEvent,
} = {}) {
  const opened = openStore(store);
  const auth = createAuth({ issuer, audience: 'tokenlease-example', keys: { secret }, store: opened.store, accessTokenTtl, refreshTokenTtl, reuseInterval, onEvent });

  const app = express();
  app.use('/auth', tokenRouter(auth, { login }));
  // The page's router: the refresh token lives in an HttpOnly cookie on /web/auth, refused from other origins.
  app.use('/web/auth', tokenRouter(auth, { login, cookie: { allowedOrigins: origins } }));
  app.get('/api/me', authenticate(auth), (req, res) => {
    res.json({ subject: req.auth.subject, scope: req.auth.scope, sessionId: req.auth.sessionId, expiresAt: req.auth.expiresAt });
  });
  app.get('/api/sessions', authenticate(auth), async (req, res) => {
    const sessions = await auth.listSessions(req.auth.subject);
    res.set('Cache-Control', 'no-store').json({
      sessions: sessions.map(({ subject: _subject, ...session }) => ({ ...session, current: session.id === req.auth.sessionId })),
    });
  });
  app.delete('/api/sessions/:id', authenticate(auth), async (req, res) => {
    // Only the caller's own sessions: a session id of someone else is as unknown as a made-up one.
    const own = await auth.listSessions(req.auth.subject);
    if (!own.some((session) => session.id === req.params.id)) {
      res.status(404).json({ error: 'not_found', error_description: 'You have no live session with this id' });
      return;
    }
    await auth.revokeSession(req.params.id);
    res.status(204).end();
  });
  app.use(express.static(PAGE_FOLDER, { setHeaders: protectPage }));
  app.use(answerError);

  return {
    app,
    ready: opened.ready,
    close() {
      auth.close();
      return opened.close();
    },
  };
}

/** The page loads only its own files, and no other site may frame it. */
function protectPage(res) {
  res.set({
    'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** Answers the tokenlease errors of the routes above (a store outage is a 503); others go on to Express. */
function answerError(error, req, res, next) {
  if (res.headersSent || !(error instanceof TokenleaseError)) return next(error);
  if (error.status === 503) res.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfter ?? 1))));
  res.status(error.status).json({ error: error.code, error_description: error.expose ? error.message : 'The server failed' });
}

/** A duration from the environment: `20` is seconds, `'15m'` stays a string. */
function durationFromEnv(value, fallback) {
  if (value === undefined || value === '') return fallback;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function optionsFromEnv(env, url) {
  let secret = env.TOKENLEASE_SECRET;
  if (secret === undefined || secret === '') {
    secret = generateSigningKey('HS256');
    console.warn('warning: TOKENLEASE_SECRET is not set; using a random secret, so access tokens end with this process.');
  }
  const origins = (env.TOKENLEASE_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  return {
    secret,
    issuer: url,
    store: env.TOKENLEASE_STORE || 'sqlite:data/tokenlease.db',
    accessTokenTtl: durationFromEnv(env.TOKENLEASE_ACCESS_TTL, '10m'),
    refreshTokenTtl: durationFromEnv(env.TOKENLEASE_REFRESH_TTL, '14d'),
    origins: origins.length > 0 ? origins : [url],
  };
}

async function start() {
  const server = createServer();
  // Listen first: with PORT=0 the page's origin is known only once the port is.
  await new Promise((resolveListen, reject) => server.once('error', reject).listen(Number(process.env.PORT ?? 3000), resolveListen));
  const url = `http://localhost:${server.address().port}`;
  const options = optionsFromEnv(process.env, url);
  const { app, ready, close } = createApp(options);
  server.on('request', app);
  const stop = () => server.close(() => close());
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const timeout = setTimeout(() => {
    console.error('The session store did not answer within 10 s; giving up.');
    process.exit(1);
  }, 10_000);
  await ready;
  clearTimeout(timeout);
  const lifetime = typeof options.accessTokenTtl === 'number' ? `${options.accessTokenTtl} s` : options.accessTokenTtl;
  console.log(`tokenlease Express example listening on ${url}
Open ${url}/ in a browser for the demo page (access tokens live ${lifetime}; TOKENLEASE_ACCESS_TTL=20 makes them 20 s).
Try it:
  curl -s -X POST ${url}/auth/login -d username=alice -d password=alice-password
  curl -s ${url}/api/me -H "Authorization: Bearer <access_token>"
  curl -s -X POST ${url}/auth/token -d grant_type=refresh_token -d refresh_token=<refresh_token>
  curl -s -X POST ${url}/auth/revoke -d token=<refresh_token>
  curl -si ${url}/api/me`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  start().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
