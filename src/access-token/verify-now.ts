import type { TokenVerifier, VerifiedToken } from './access-token-claims.js';

/**
 * Where a verifier keeps its synchronous path, which the adapters take first:
 * a registered symbol, since they reach the core only through its public
 * entry. Not part of the public API.
 */
export const VERIFY_NOW: unique symbol = Symbol.for('tokenlease.verifyNow');

/**
 * Verifies without waiting: returns the token, throws the refusal, or returns
 * `undefined` when only the asynchronous `verify` can answer (a store read, or
 * the revocations a starting process waits for).
 */
export type VerifyNow = (token: string, checkSession: boolean) => VerifiedToken | undefined;

/**
 * Gives `verifier` its synchronous path, hidden from enumeration and spreads.
 * The path names the `verify` it stands for: an adapter takes it only while
 * that is still the verifier's `verify` (not replaced by a wrapper or a spy).
 */
export function withVerifyNow<T extends TokenVerifier>(verifier: T, now: VerifyNow): T {
  Object.defineProperty(verifier, VERIFY_NOW, { value: Object.freeze({ verify: verifier.verify, now }) });
  return verifier;
}
