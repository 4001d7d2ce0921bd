import { constants, createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { createAuth, generateSigningKey, type Auth, type AuthOptions, type SessionEvent } from '../../../src/index.js';
import type { JWK } from '../../../src/keys/key-options.js';
import { decodeJws, segment } from '../../support/forge.js';
import { TEST_SECRET, testClock, type TestClock } from '../../support/test-clock.js';

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'api';

/** The algorithms a server can be configured with. */
export type KeyKind = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/** The suite runs every family against a shared secret and an asymmetric key. */
export const SERVER_KINDS: readonly KeyKind[] = ['HS256', 'RS256'];

/** A decoded token the server issued. */
export interface IssuedToken {
  readonly token: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

/** A server's core on an injected clock, and what an attacker (or the test) may do with its keys. */
export interface Issuer {
  readonly kind: KeyKind;
  readonly auth: Auth;
  readonly clock: TestClock;
  /** Every event `onEvent` received. */
  readonly events: SessionEvent[];
  /** The `kid` of the signing key. */
  readonly kid: string;
  /** The public key, for asymmetric kinds: what anyone downloads from `/jwks.json`. */
  readonly publicKey: KeyObject | undefined;
  /** A fresh token pair for alice, the access token decoded. */
  issue(): Promise<IssuedToken & { readonly refreshToken: string; readonly sessionId: string }>;
  /** The server's own signature over a signing input, base64url. */
  signatureOver(input: string): string;
  /** Signs `header.payload` segments with the server's own key: a token only the server could make. */
  signSegments(header: string, payload: string): string;
  /** A real token's header and claims with patches (`undefined` removes), signed with the server's key. */
  forge(headerPatch?: Record<string, unknown>, claimsPatch?: Record<string, unknown>): Promise<string>;
}

const privateJwks = new Map<Exclude<KeyKind, 'HS256'>, JWK>();

/** One private JWK per algorithm for the whole test file: RSA generation is slow. */
export function privateJwkOf(kind: Exclude<KeyKind, 'HS256'>): JWK {
  let jwk = privateJwks.get(kind);
  if (jwk === undefined) privateJwks.set(kind, (jwk = generateSigningKey(kind)));
  return jwk;
}

/** The signature an algorithm makes over `input` with a key, base64url; for the algorithms node:crypto knows. */
export function signatureOf(alg: string, key: KeyObject | string | Buffer, input: string): string {
  const data = Buffer.from(input);
  const hmac = /^HS(256|384|512)$/.exec(alg);
  if (hmac) return createHmac(`sha${hmac[1]}`, key as string | Buffer).update(data).digest('base64url');
  const keyObject = key as KeyObject;
  const bits = alg.slice(2);
  if (alg.startsWith('RS')) return sign(`sha${bits}`, data, keyObject).toString('base64url');
  if (alg.startsWith('PS')) {
    return sign(`sha${bits}`, data, { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }).toString('base64url');
  }
  if (alg.startsWith('ES')) return sign(`sha${bits}`, data, { key: keyObject, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  if (alg === 'EdDSA') return sign(null, data, keyObject).toString('base64url');
  throw new Error(`no signer for ${alg}`);
}

/** A server on `kind`, with a test clock and an event recorder; `options` override the defaults. */
export async function createIssuer(kind: KeyKind, options: Partial<AuthOptions> = {}): Promise<Issuer> {
  const clock = testClock();
  const events: SessionEvent[] = [];
  const jwk = kind === 'HS256' ? undefined : privateJwkOf(kind);
  const privateKey = jwk === undefined ? undefined : createPrivateKey({ key: jwk as never, format: 'jwk' });
  const auth = createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: jwk === undefined ? { secret: TEST_SECRET } : { signing: jwk },
    clock,
    onEvent: (event) => void events.push(event),
    ...options,
  });
  const signatureOver = (input: string): string => signatureOf(kind, privateKey ?? TEST_SECRET, input);
  const signSegments = (header: string, payload: string): string => `${header}.${payload}.${signatureOver(`${header}.${payload}`)}`;
  const issue = async () => {
    const tokens = await auth.issue({ subject: 'alice', scope: 'read' });
    return { token: tokens.accessToken, ...decodeJws(tokens.accessToken), refreshToken: tokens.refreshToken, sessionId: tokens.sessionId };
  };
  const kid = String((await issue()).header['kid']);
  events.length = 0;
  return {
    kind,
    auth,
    clock,
    events,
    kid,
    publicKey: privateKey === undefined ? undefined : createPublicKey(privateKey),
    issue,
    signatureOver,
    signSegments,
    async forge(headerPatch = {}, claimsPatch = {}) {
      const real = await issue();
      return signSegments(segment(patched(real.header, headerPatch)), segment(patched(real.payload, claimsPatch)));
    },
  };
}

function patched(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...base, ...patch }).filter(([, value]) => value !== undefined));
}

/** JSON text of `members`, then raw members appended verbatim (`1e400`, a duplicate name, ...). */
export function rawJson(members: Record<string, unknown>, raw: readonly string[]): string {
  const text = JSON.stringify(members);
  if (raw.length === 0) return text;
  return `${text.slice(0, -1)}${text === '{}' ? '' : ','}${raw.join(',')}}`;
}
