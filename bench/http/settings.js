// What every benchmark server and the load generator agree on: one HS256 secret, issuer and audience.
import { webcrypto } from 'node:crypto';

export const ISSUER = 'https://issuer.bench';
export const AUDIENCE = 'api';
export const SECRET = 'bench-secret-bench-secret-bench-secret!';

/** The secret as a WebCrypto HMAC key, imported once at start, as a careful jose user would. */
export function hmacCryptoKey() {
  return webcrypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}
