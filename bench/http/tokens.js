// The tokens of the two traffic shapes, as `Authorization` header values the load generator sends.
import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { createAuth } from '../../dist/src/index.js';
import { AUDIENCE, ISSUER, SECRET } from './settings.js';

/** tokenlease's default access-token lifetime: the longest `exp - iat` it accepts. */
const LIFETIME = 600;

/**
 * Realistic traffic: `clients` live clients, each holding the access token of its own login,
 * issued by tokenlease itself and reused until it expires.
 */
export async function issuedTokens(clients) {
  const auth = createAuth({ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } });
  const headers = [];
  for (let i = 0; i < clients; i++) headers.push(bearer((await auth.issue({ subject: `user-${i}` })).accessToken));
  auth.close();
  return headers;
}

/**
 * Worst case: `count` distinct tokens, signed here with node:crypto HMAC for speed, in
 * tokenlease's own shape (header alg, typ at+jwt and kid; claims iss, sub, aud, iat, exp, jti,
 * sid), so that tokenlease and every peer accept them. With `badSignature`, each signature is
 * altered in its first character: still canonical base64url, but wrong.
 */
export function signedTokens(count, { badSignature = false } = {}) {
  const key = createSecretKey(Buffer.from(SECRET));
  const header = encode({ alg: 'HS256', typ: 'at+jwt', kid: tokenleaseKid(SECRET) });
  const now = Math.floor(Date.now() / 1000);
  const entropy = randomBytes(32 * count);
  const headers = new Array(count);
  for (let i = 0; i < count; i++) {
    const jti = entropy.toString('base64url', 32 * i, 32 * i + 16);
    const sid = entropy.toString('base64url', 32 * i + 16, 32 * i + 32);
    const payload = encode({ iss: ISSUER, sub: `user-${i % 1000}`, aud: AUDIENCE, iat: now, exp: now + LIFETIME, jti, sid });
    const input = `${header}.${payload}`;
    const signature = createHmac('sha256', key).update(input).digest('base64url');
    headers[i] = bearer(`${input}.${badSignature ? corrupt(signature) : signature}`);
  }
  return headers;
}

/** The `kid` tokenlease derives from an HS256 secret (src/keys/key-set.ts). */
function tokenleaseKid(secret) {
  return createHmac('sha256', Buffer.from(secret)).update('tokenlease kid').digest('base64url').slice(0, 16);
}

function encode(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function corrupt(signature) {
  return `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
}

function bearer(token) {
  return `Bearer ${token}`;
}

/** Fails fast when tokenlease would refuse the harness's own tokens (its `kid` rule changed, say). */
export async function checkTokens(headers) {
  const auth = createAuth({ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } });
  try {
    await auth.verify(headers[0].slice('Bearer '.length));
  } finally {
    auth.close();
  }
}
