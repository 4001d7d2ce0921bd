import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { ConfigurationError } from '../errors.js';
import { jwkThumbprint } from './jwk-thumbprint.js';
import type { Algorithm } from './key-options.js';

/**
 * Makes a new key for `keys`: a private JWK with `alg` and `kid` (the RFC 7638
 * thumbprint) for EdDSA, ES256 and RS256, or a 32-byte base64url secret for
 * HS256. Keep it secret; publish only `auth.jwks()`.
 *
 * @example
 * ```ts
 * const auth = createAuth({ issuer, audience, keys: { signing: generateSigningKey('EdDSA') } })
 * ```
 */
export function generateSigningKey(alg: 'HS256'): string;
export function generateSigningKey(alg?: Exclude<Algorithm, 'HS256'>): JWK;
export function generateSigningKey(alg: Algorithm = 'EdDSA'): JWK | string {
  if (alg === 'HS256') return randomBytes(32).toString('base64url');
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : alg === 'RS256'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : undefined;
  if (pair === undefined) throw new ConfigurationError('alg', 'must be one of EdDSA, ES256, RS256 or HS256');
  const jwk = pair.privateKey.export({ format: 'jwk' }) as JWK;
  return { ...jwk, alg, kid: jwkThumbprint(jwk) };
}
