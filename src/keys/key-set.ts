import { Buffer } from 'node:buffer';
import { createHmac, createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { ConfigurationError } from '../errors.js';
import { jwkThumbprint } from './jwk-thumbprint.js';
import type { Algorithm, KeyOptions, Secret } from './key-options.js';

/** A key that verifies signatures, found by its `kid`. */
export interface VerificationKey {
  readonly kid: string;
  readonly alg: Algorithm;
  /** A secret key for HS256, a public key otherwise. */
  readonly key: KeyObject;
}

/** The key that signs new access tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: Algorithm;
  readonly key: KeyObject;
}

/** Every key of an issuer, imported once at start. */
export interface KeySet {
  readonly signing: SigningKey;
  readonly verification: ReadonlyMap<string, VerificationKey>;
  /** The public JWK Set: never a secret or a private member. */
  readonly jwks: { readonly keys: readonly JWK[] };
  /** Key of the refresh-token successor derivation, derived from the signing key. */
  readonly successorKey: Buffer;
}

const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;
const SUCCESSOR_LABEL = 'tokenlease refresh-token successor v1';

/** Imports and checks the `keys` option; a bad key throws a {@link ConfigurationError}. */
export function createKeySet(options: KeyOptions | undefined): KeySet {
  if (options === undefined || typeof options !== 'object') {
    throw new ConfigurationError('keys', 'is required: { secret } or { signing, previous? }');
  }
  if ((options.secret === undefined) === (options.signing === undefined)) {
    throw new ConfigurationError('keys', 'takes exactly one of secret or signing');
  }
  const signing = options.secret !== undefined ? secretKey(options.secret, 'keys.secret') : privateKey(options.signing);
  const previous = (options.previous ?? []).map((entry, index) => importKey(entry, `keys.previous[${index}]`));
  const verification = new Map<string, VerificationKey>();
  for (const key of [signing.verification, ...previous.map((entry) => entry.verification)]) {
    if (!verification.has(key.kid)) verification.set(key.kid, key);
  }
  const jwks = [signing, ...previous].flatMap((entry) => (entry.publicJwk ? [entry.publicJwk] : []));
  return {
    signing: signing.signing,
    verification,
    jwks: { keys: dedupeByKid(jwks) },
    successorKey: createHmac('sha256', signing.material).update(SUCCESSOR_LABEL).digest(),
  };
}

/** Imports keys that only verify (public JWKs or secrets), by `kid`. */
export function importVerificationKeys(entries: readonly (JWK | Secret)[], option: string): Map<string, VerificationKey> {
  return new Map(entries.map((entry, index) => importKey(entry, `${option}[${index}]`).verification).map((key) => [key.kid, key]));
}

function importKey(entry: JWK | Secret, option: string): ImportedKey {
  return isSecret(entry) ? secretKey(entry, option) : publicKey(entry, option);
}

interface ImportedKey {
  readonly signing: SigningKey;
  readonly verification: VerificationKey;
  readonly publicJwk?: JWK;
  readonly material: Buffer;
}

function isSecret(entry: JWK | Secret): entry is Secret {
  return typeof entry === 'string' || entry instanceof Uint8Array;
}

function secretKey(secret: unknown, option: string): ImportedKey {
  if (!isSecret(secret as Secret)) throw new ConfigurationError(option, 'must be a string or a Uint8Array');
  const material = Buffer.from(secret as Secret);
  if (material.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigurationError(option, `must be at least ${MIN_SECRET_BYTES} bytes (RFC 7518 section 3.2)`);
  }
  const kid = createHmac('sha256', material).update('tokenlease kid').digest('base64url').slice(0, 16);
  const key = createSecretKey(material);
  const entry = { kid, alg: 'HS256', key } as const;
  return { signing: entry, verification: entry, material };
}

function privateKey(jwk: JWK): ImportedKey {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') {
    throw new ConfigurationError('keys.signing', 'must be a private JWK (with its "d" member)');
  }
  const alg = algorithmOf(jwk, 'keys.signing');
  const key = importJwk(() => createPrivateKey({ key: jwk as never, format: 'jwk' }), 'keys.signing');
  const imported = asymmetric(createPublicKey(key), alg, jwk.kid, 'keys.signing');
  return { ...imported, signing: { kid: imported.verification.kid, alg, key }, material: Buffer.from(jwk.d, 'base64url') };
}

function publicKey(jwk: JWK, option: string): ImportedKey {
  if (typeof jwk !== 'object' || jwk === null) throw new ConfigurationError(option, 'must be a JWK or a secret');
  const alg = algorithmOf(jwk, option);
  const key = importJwk(() => createPublicKey({ key: publicMembers(jwk) as never, format: 'jwk' }), option);
  return { ...asymmetric(key, alg, jwk.kid, option), material: Buffer.alloc(0) };
}

function asymmetric(key: KeyObject, alg: Algorithm, kid: string | undefined, option: string) {
  checkKeyType(key, alg, option);
  const jwk = key.export({ format: 'jwk' }) as JWK;
  const id = kid ?? jwkThumbprint(jwk);
  const verification: VerificationKey = { kid: id, alg, key };
  return { signing: verification, verification, publicJwk: { ...jwk, kid: id, alg, use: 'sig' } };
}

function algorithmOf(jwk: JWK, option: string): Algorithm {
  const inferred = jwk.kty === 'OKP' ? 'EdDSA' : jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'RSA' ? 'RS256' : undefined;
  const alg: string | undefined = jwk.alg ?? inferred;
  if (alg === 'EdDSA' || alg === 'ES256' || alg === 'RS256') return alg;
  throw new ConfigurationError(option, 'must be an EdDSA (Ed25519), ES256 or RS256 key with its "alg" set');
}

function checkKeyType(key: KeyObject, alg: Algorithm, option: string): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    (alg === 'EdDSA' && type === 'ed25519') ||
    (alg === 'ES256' && type === 'ec' && details.namedCurve === 'prime256v1') ||
    (alg === 'RS256' && type === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS);
  if (!fits) throw new ConfigurationError(option, `is not a valid ${alg} key (RSA needs ${MIN_RSA_BITS} bits or more)`);
}

function importJwk(load: () => KeyObject, option: string): KeyObject {
  try {
    return load();
  } catch (cause) {
    throw new ConfigurationError(option, `cannot be imported as a key (${(cause as Error).name})`);
  }
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

function publicMembers(jwk: JWK): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name))) as JWK;
}

function dedupeByKid(keys: readonly JWK[]): JWK[] {
  const seen = new Set<string | undefined>();
  return keys.filter((jwk) => !seen.has(jwk.kid) && seen.add(jwk.kid) !== undefined);
}
