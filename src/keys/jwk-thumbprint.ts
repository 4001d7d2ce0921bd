import { createHash } from 'node:crypto';
import type { JWK } from 'jose';

const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  OKP: ['crv', 'kty', 'x'],
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The RFC 7638 thumbprint of a public key: SHA-256 over its required members in
 * lexicographic order, without white space, base64url.
 */
export function jwkThumbprint(jwk: JWK): string {
  const members = REQUIRED_MEMBERS[jwk.kty ?? ''] ?? [];
  const canonical = Object.fromEntries(members.map((name) => [name, jwk[name as keyof JWK]]));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
