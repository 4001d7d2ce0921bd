import type { RevocationNotice } from './session-store.js';

/**
 * The in-process list of revoked sessions and per-subject "not before" times
 * (DESIGN section 4), consulted by every `verify` without a store read. An
 * entry is kept only as long as an access token issued before it could live,
 * so its size follows the revocations of the last access-token lifetime.
 * Entries are keyed by `sid` and `sub`, never by token text.
 */
export class RevocationList {
  readonly #sessions = new Map<string, number>();
  readonly #subjects = new Map<string, { notBefore: number; until: number }>();
  readonly #retention: number;
  #nextSweep = 0;

  /** @param retention seconds an entry is kept: the access-token lifetime plus the clock tolerance. */
  constructor(retention: number) {
    this.#retention = retention;
  }

  /** Applies a revocation made here or announced by another process. */
  apply(notice: RevocationNotice, now: number): void {
    const until = Math.max(now, notice.at) + this.#retention;
    for (const sessionId of notice.sessionIds) this.#sessions.set(sessionId, until);
    if (notice.subject !== undefined) this.#subjects.set(notice.subject, { notBefore: notice.at, until });
  }

  /** True when a token of this session, subject and issue time must be refused. */
  isRevoked(sessionId: string, subject: string, issuedAt: number, now: number): boolean {
    if (now >= this.#nextSweep) this.#sweep(now);
    if (this.#sessions.size !== 0 && (this.#sessions.get(sessionId) ?? 0) > now) return true;
    if (this.#subjects.size === 0) return false;
    const entry = this.#subjects.get(subject);
    if (entry === undefined || entry.until <= now) return false;
    // Strictly before: a login in the same second as the revocation must work. Tokens of that
    // second that predate it are refused through their session ids, revoked with the subject.
    return issuedAt < entry.notBefore;
  }

  /** The number of entries held, expired ones included until the next sweep. */
  get size(): number {
    return this.#sessions.size + this.#subjects.size;
  }

  #sweep(now: number): void {
    for (const [id, until] of this.#sessions) if (until <= now) this.#sessions.delete(id);
    for (const [subject, entry] of this.#subjects) if (entry.until <= now) this.#subjects.delete(subject);
    this.#nextSweep = now + Math.max(1, this.#retention / 10);
  }
}
