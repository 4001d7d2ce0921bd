import type { JWK } from 'jose';

export type { JWK };

/** The algorithms tokenlease signs and verifies with. */
export type Algorithm = 'HS256' | 'EdDSA' | 'ES256' | 'RS256';

/** A shared secret for HS256: at least 32 bytes. */
export type Secret = string | Uint8Array;

/**
 * The keys of an issuer: either a shared `secret` (HS256) or a private `signing`
 * JWK (EdDSA, ES256 or RS256, its `alg` set). `previous` lists keys that still
 * verify but no longer sign, for rotation: public or private JWKs, or former
 * secrets.
 */
export type KeyOptions =
  | {
      /** The HS256 secret: at least 32 bytes. */
      readonly secret: Secret;
      /** Not with `secret`. */
      readonly signing?: never;
      /** Former keys that still verify. */
      readonly previous?: readonly (JWK | Secret)[];
    }
  | {
      /** The private JWK that signs: EdDSA, ES256 or RS256. */
      readonly signing: JWK;
      /** Not with `signing`. */
      readonly secret?: never;
      /** Former keys that still verify. */
      readonly previous?: readonly (JWK | Secret)[];
    };
