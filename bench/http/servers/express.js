// One Express 5 server per process; argv[2] names the authentication in front of GET /api.
// Usage: node bench/http/servers/express.js <bare|empty|tokenlease|express-jwt|express-jwt-keyobject|jose>
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { createSecretKey } from 'node:crypto';
import express from 'express';
import { expressjwt } from 'express-jwt';
import { jwtVerify } from 'jose';
import { authenticate } from '../../../dist/adapters/express/index.js';
import { createAuth } from '../../../dist/src/index.js';
import { listen, variantName } from '../serve.js';
import { AUDIENCE, hmacCryptoKey, ISSUER, SECRET } from '../settings.js';

/** A hand-written bearer middleware on jose, with the key imported once. */
function joseAuthenticate(key) {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return refuse(res);
    try {
      req.auth = (await jwtVerify(header.slice(7), key, { issuer: ISSUER, audience: AUDIENCE })).payload;
    } catch {
      return refuse(res);
    }
    next();
  };
}

function refuse(res) {
  res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json({ error: 'invalid_token' });
}

/** Each variant: the middleware before the route, and where it leaves the subject. */
const variants = {
  bare: async () => ({ middleware: [], subject: undefined }),
  // A middleware that checks nothing: what one more layer costs, the ceiling of any authentication.
  empty: async () => ({
    middleware: [
      (req, res, next) => {
        req.auth = { subject: 'user-0' };
        next();
      },
    ],
    subject: (req) => req.auth.subject,
  }),
  tokenlease: async () => ({
    middleware: [authenticate(createAuth({ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } }))],
    subject: (req) => req.auth.subject,
  }),
  // As the express-jwt README documents it; its errors reach the error handler below.
  'express-jwt': async () => ({ middleware: [expressjwt({ secret: SECRET, algorithms: ['HS256'] })], subject: (req) => req.auth.sub }),
  'express-jwt-keyobject': async () => ({
    middleware: [expressjwt({ secret: createSecretKey(Buffer.from(SECRET)), algorithms: ['HS256'] })],
    subject: (req) => req.auth.sub,
  }),
  jose: async () => ({ middleware: [joseAuthenticate(await hmacCryptoKey())], subject: (req) => req.auth.sub }),
};

const { middleware, subject } = await variants[variantName(Object.keys(variants))]();
const app = express();
app.get('/api', ...middleware, (req, res) => {
  res.json(subject === undefined ? { ok: true } : { ok: true, sub: subject(req) });
});
// express-jwt's documented error handling: its UnauthorizedError becomes a 401.
app.use((error, req, res, next) => {
  if (error?.name !== 'UnauthorizedError') return next(error);
  refuse(res);
});
listen(createServer(app));
