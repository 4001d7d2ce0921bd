/**
 * One login of one subject, as a store keeps it. Times are epoch seconds from
 * the core's clock. The store never sees a refresh token, only the SHA-256 of
 * its secret part (`tokenHash`, base64url).
 */
export interface SessionRecord {
  /** The session id; the store chooses it in {@link SessionStore.create}. */
  readonly id: string;
  /** Who logged in. */
  readonly subject: string;
  /** The login time. */
  readonly createdAt: number;
  /** The time of the last rotation (the creation time until then). */
  readonly refreshedAt: number;
  /** Sliding expiry: `min(refreshedAt + refreshTokenTtl, maxExpiresAt)`. Expired when `expiresAt <= now`. */
  readonly expiresAt: number;
  /** `createdAt + sessionMaxAge`: the session never lives past it. */
  readonly maxExpiresAt: number;
  /** Set when the session was revoked; a revoked session is kept until `expiresAt` only to say so. */
  readonly revokedAt?: number;
  /** SHA-256 of the current refresh token's secret. */
  readonly tokenHash: string;
  /** Space-delimited scope granted at login, carried into every access token of the session. */
  readonly scope?: string;
  /** Custom claims granted at login, carried into every access token of the session. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** What the core hands a store to create a session: everything but the id. */
export type NewSession = Omit<SessionRecord, 'id' | 'revokedAt'>;

/** The result of {@link SessionStore.create}. */
export interface CreatedSession {
  /** The session as stored, with its id. */
  readonly session: SessionRecord;
  /** Sessions of the same subject revoked to respect the per-subject limit, oldest first. */
  readonly evicted: readonly SessionRecord[];
}

/** One refresh, as the core asks a store to carry it out atomically. */
export interface RotationStep {
  /** The session the presented token names. */
  readonly sessionId: string;
  /** SHA-256 of the presented refresh token's secret. */
  readonly presentedHash: string;
  /** SHA-256 of the successor the core derived from the presented token. */
  readonly successorHash: string;
  /** The core's time of the step, epoch seconds. */
  readonly now: number;
  /** Seconds a refresh extends the session by. */
  readonly refreshTokenTtl: number;
  /** Seconds during which a just-rotated token still yields its successor. */
  readonly reuseInterval: number;
  /**
   * Wall-clock time (epoch milliseconds, as `Date.now()`) after which the core
   * has given up on the step and answered 503: a store that reaches the step
   * later must not carry it out, and throws instead. A rotation committed after
   * its 503 would leave the client holding a consumed token that, retried after
   * the reuse interval, reads as reuse. Absent: no bound.
   */
  readonly deadline?: number;
}

/**
 * What a rotation did. `rotated` and `grace` carry the session as it now is;
 * `reused` means the store has just revoked the session; `superseded` is a
 * token rotated within the reuse interval whose successor is no longer current.
 */
export type RotationOutcome = 'rotated' | 'grace' | 'unknown' | 'expired' | 'revoked' | 'reused' | 'superseded';

/** The result of {@link SessionStore.rotate}. */
export interface RotationResult {
  /** What the step did. */
  readonly outcome: RotationOutcome;
  /** The session after the step; `null` only when the outcome is `unknown`. */
  readonly session: SessionRecord | null;
}

/** The result of {@link SessionStore.revoke}. */
export interface RevokedSession {
  /** The session as revoked; `revokedAt` tells when. */
  readonly session: SessionRecord;
  /** True when it was already revoked before this call (a retried revoke): nothing was written. */
  readonly already: boolean;
}

/** A revocation that every process applies to the access tokens it verifies. */
export interface RevocationNotice {
  /** Revoked session ids. */
  readonly sessionIds: readonly string[];
  /** A subject whose tokens issued before `at` are refused. */
  readonly subject?: string;
  /** When it was revoked, epoch seconds. */
  readonly at: number;
}

/** How a distributed store tells every process about revocations (DESIGN section 4). */
export interface RevocationChannel {
  /** Tells every subscribed process, this one included. */
  publish(notice: RevocationNotice): Promise<void>;
  /**
   * Returns a function that stops the subscription. `resync` is called each
   * time the subscription becomes active, the first time included: notices
   * published before that moment (while it was lost, or while the caller was
   * loading) were missed, and the caller reloads them with
   * {@link SessionStore.revokedSince}.
   */
  subscribe(listener: (notice: RevocationNotice) => void, resync?: () => void): () => void;
}

/**
 * Where sessions live. The rules (TTL arithmetic, the `expiresAt <= now`
 * boundary, reuse detection) are the core's: a store persists and makes each
 * step atomic, applying {@link decideRotation} or an exact port of it.
 *
 * Atomicity: N concurrent calls of any method, including N refreshes with one
 * token, end as if they had run one after another in some serial order.
 *
 * Every method receives `now` from the core; a store never reads a clock for
 * the rules (it may use one to drop expired data).
 */
export interface SessionStore {
  /**
   * Stores a new session under a fresh id. When `limit` is set and the subject
   * already has that many live sessions, the oldest live ones are revoked in
   * the same step so that the subject keeps `limit` in all. Past `deadline`
   * (as in {@link RotationStep.deadline}) it creates nothing and throws: the
   * login has already been answered 503, and nobody would hold the session.
   */
  create(session: NewSession, now: number, limit?: number, deadline?: number): Promise<CreatedSession>;
  /** Carries out one refresh step as `decideRotation` describes. */
  rotate(step: RotationStep): Promise<RotationResult>;
  /** The session with this id, live, revoked or expired, or `null` once the store has dropped it. */
  find(sessionId: string, now: number): Promise<SessionRecord | null>;
  /**
   * Revokes a session. With `tokenHash`, only if that hash is the session's
   * current token or one it consumed. Returns the revoked session, also when it
   * had already been revoked (`already`), so that a retried logout still
   * reaches the revocation list; `null` when the session is unknown, expired,
   * or the hash is not one of its tokens.
   */
  revoke(sessionId: string, now: number, tokenHash?: string): Promise<RevokedSession | null>;
  /** Revokes every live session of a subject; returns their ids. */
  revokeSubject(subject: string, now: number): Promise<readonly string[]>;
  /** The number of live sessions (not expired, not revoked), overall or of one subject. */
  count(now: number, subject?: string): Promise<number>;
  /** The live sessions of a subject, oldest first. */
  list(subject: string, now: number): Promise<readonly SessionRecord[]>;
  /**
   * The revocations made at or after `since` (epoch seconds): session ids with
   * the time of their revocation, and each subject's latest "not before" time
   * from {@link SessionStore.revokeSubject}. A process loads them at start and
   * after a lost subscription, so that access tokens of sessions revoked
   * while it was not listening are refused. Present on stores that outlive a
   * process (SQLite, Redis).
   */
  revokedSince?(since: number): Promise<readonly RevocationNotice[]>;
  /** Present on stores shared by several processes. */
  readonly revocations?: RevocationChannel;
}
