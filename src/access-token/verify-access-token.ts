import { constants, createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { InvalidTokenError } from '../errors.js';
import type { VerificationKey } from '../keys/key-set.js';
import { decodeBase64url } from '../lib/base64url.js';
import type { VerifiedToken } from './access-token-claims.js';
import { parseJsonObject, type CompactJws } from './compact-jws.js';
import { TokenHeaderCache } from './token-header.js';

/** What a verified access token must satisfy besides its signature. */
export interface AccessTokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  /** The longest `exp - iat` accepted: the configured access-token lifetime. */
  readonly maxLifetime: number;
  /** Seconds of leeway for `exp`, `nbf` and `iat`. */
  readonly clockTolerance: number;
  /** Tokens longer than this are refused before any decoding. */
  readonly maxLength: number;
}

/** Finds the key for a header's `kid`, or `undefined`. */
export type KeyLookup = (kid: string) => VerificationKey | undefined;

/** The verdicts on recent header segments: few real headers exist, each at most this long. */
const HEADERS = new TokenHeaderCache(64, 512);

/** A token split and its header checked, before any signature work. */
export interface ReadAccessToken extends CompactJws {
  readonly kid: string;
  readonly alg: string;
}

/**
 * Splits a token and checks its header (DESIGN section 4), before any
 * signature work. Returns the parts, or throws {@link InvalidTokenError}.
 */
export function readAccessToken(token: unknown, maxLength: number): ReadAccessToken {
  if (typeof token !== 'string' || token.length === 0) throw refusal('malformed');
  if (token.length > maxLength) throw refusal('too_long');
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) !== -1) throw refusal('malformed');
  const header = HEADERS.check(token.slice(0, first));
  const signature = decodeBase64url(token.slice(second + 1));
  if (header === 'malformed' || signature === undefined || signature.byteLength === 0) throw refusal('malformed');
  if (typeof header === 'string') throw refusal(header);
  const { kid, alg } = header;
  return { header: header.header, kid, alg, signingInput: token.slice(0, second), payloadSegment: token.slice(first + 1, second), signature };
}

/** Verifies the signature and the claims of a token read by {@link readAccessToken}. */
export function verifyReadToken(
  jws: CompactJws & { readonly alg: string },
  key: VerificationKey | undefined,
  policy: AccessTokenPolicy,
  now: number,
): VerifiedToken {
  if (key === undefined) throw refusal('unknown_key');
  // RFC 8725 section 3.1: the algorithm comes from the key, never from the token alone.
  if (jws.alg !== key.alg) throw refusal('wrong_algorithm');
  if (!signatureMatches(jws, key)) throw refusal('bad_signature');
  const payloadBytes = decodeBase64url(jws.payloadSegment);
  const claims = payloadBytes === undefined ? undefined : parseJsonObject(payloadBytes);
  if (claims === undefined) throw refusal('malformed_payload');
  return checkClaims(claims, policy, now);
}

function signatureMatches(jws: CompactJws, { alg, key }: VerificationKey): boolean {
  if (alg === 'HS256') {
    const expected = createHmac('sha256', key).update(jws.signingInput).digest();
    return expected.byteLength === jws.signature.byteLength && timingSafeEqual(expected, jws.signature);
  }
  if (alg === 'ES256') {
    // RFC 7518 section 3.4: R || S, 64 bytes; reject DER and other lengths outright.
    if (jws.signature.byteLength !== 64) return false;
    return verifySignature('sha256', Buffer.from(jws.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
  }
  if (alg === 'RS256') {
    return verifySignature('sha256', Buffer.from(jws.signingInput), { key, padding: constants.RSA_PKCS1_PADDING }, jws.signature);
  }
  return verifySignature(null, Buffer.from(jws.signingInput), key, jws.signature);
}

function checkClaims(claims: Record<string, unknown>, policy: AccessTokenPolicy, now: number): VerifiedToken {
  const { iss, aud, sub, sid, exp, iat, nbf, scope } = claims;
  if (iss !== policy.issuer) throw refusal('wrong_issuer');
  if (!(aud === policy.audience || (Array.isArray(aud) && aud.includes(policy.audience)))) throw refusal('wrong_audience');
  if (typeof sub !== 'string' || sub === '') throw refusal('missing_subject');
  if (typeof sid !== 'string' || sid === '') throw refusal('missing_session');
  if (!isTime(exp) || !isTime(iat)) throw refusal('missing_time');
  if (nbf !== undefined && !isTime(nbf)) throw refusal('missing_time');
  if (scope !== undefined && typeof scope !== 'string') throw refusal('malformed_scope');
  const leeway = policy.clockTolerance;
  // RFC 7519 section 4.1.4: the token must not be accepted on or after exp.
  if (exp <= now - leeway) throw refusal('expired');
  if (nbf !== undefined && nbf > now + leeway) throw refusal('not_yet_valid');
  if (iat > now + leeway) throw refusal('issued_in_future');
  if (exp - iat > policy.maxLifetime) throw refusal('lifetime_too_long');
  return { subject: sub, sessionId: sid, scope, claims, expiresAt: exp, issuedAt: iat };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** An expected refusal: built without a stack trace, which costs more than the check itself. */
export function refusal(reason: string): InvalidTokenError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const error = new InvalidTokenError(reason);
  Error.stackTraceLimit = limit;
  return error;
}
