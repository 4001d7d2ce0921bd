import type { VerifiedToken } from './access-token-claims.js';
import { refusal } from './verify-access-token.js';

/** What a cache lookup needs of the verification policy. */
export interface CachePolicy {
  readonly maxLength: number;
  readonly clockTolerance: number;
}

/** A cached verification and the exact token it belongs to. */
interface Entry {
  readonly token: string;
  readonly verified: VerifiedToken;
}

/**
 * Tokens already verified, found by their exact text, so that a client reusing
 * its access token costs a lookup instead of a signature check. The map is
 * keyed by the signature segment (short to hash) and an entry answers only for
 * the very same token, compared whole. Bounded: two
 * generations of at most `maxEntries / 2` each; when the young one is full it
 * becomes the old one and the previous old one is dropped whole (no per-entry
 * deletes, whose holes slow V8's Map down). Only the same bytes hit: another
 * spelling of a token simply misses.
 */
export class VerifiedTokenCache {
  #young = new Map<string, Entry>();
  #old = new Map<string, Entry>();
  readonly #generationSize: number;

  /** @param maxEntries the most tokens held; 0 turns the cache off. */
  constructor(maxEntries: number) {
    this.#generationSize = Math.floor(maxEntries / 2);
  }

  /**
   * The cached verification of `token` (its signature and other claims were
   * checked when it entered, and none of them can turn bad later), checked against `now` exactly as a
   * fresh one would be (an entry never outlives its `exp`), or `undefined`.
   */
  get(token: unknown, policy: CachePolicy, now: number): VerifiedToken | undefined {
    // The length bound comes first: hashing a huge string for the lookup would already cost.
    if (typeof token !== 'string' || token.length > policy.maxLength) return undefined;
    const key = signatureOf(token);
    const entry = this.#young.get(key) ?? this.#old.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (entry.verified.expiresAt <= now - policy.clockTolerance) throw refusal('expired');
    return entry.verified;
  }

  /** Remembers a successful verification and returns it. */
  set(token: string, verified: VerifiedToken): VerifiedToken {
    if (this.#generationSize === 0) return verified;
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(signatureOf(token), { token, verified });
    return verified;
  }

  /** Forgets every entry: the keys that verified them changed. */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }
}

/** The signature segment, the map key: short to hash; an entry still answers only for its whole token. */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
