import type { RotationOutcome, RotationStep, SessionRecord } from './session-store.js';

/** The decision for one refresh step: the outcome and the session as it must be stored. */
export interface RotationDecision {
  /** What the step does. */
  readonly outcome: RotationOutcome;
  /** The session after the step (unchanged when nothing is to be written), `null` when unknown. */
  readonly session: SessionRecord | null;
  /** True when `session` differs from the stored one and must be written. */
  readonly write: boolean;
  /** True when the presented hash must be recorded as consumed at `step.now`. */
  readonly consume: boolean;
}

/**
 * The refresh rules, in one place (DESIGN section 3). Given the stored session
 * (or `null`) and, when the presented hash is one the session already consumed,
 * the time it was consumed, decides what a refresh does:
 *
 * - revoked or expired (`expiresAt <= now`) sessions refuse;
 * - the current token rotates: its successor becomes current, the session
 *   slides to `min(now + refreshTokenTtl, maxExpiresAt)`;
 * - a token consumed less than `reuseInterval` ago whose successor is still
 *   current is a concurrent refresh (`grace`): the session slides, the caller
 *   gets that successor;
 * - a token consumed within the interval whose successor moved on is
 *   `superseded` (refused, nothing revoked);
 * - any other consumed token is reuse: the session is revoked.
 *
 * Stores that run JavaScript inside their transaction call this; the Redis
 * store runs a Lua port of it, held to the same conformance suite.
 *
 * @example
 * ```ts
 * // Inside a store's transaction:
 * const decision = decideRotation(stored, consumedAt(step.presentedHash), step)
 * if (decision.write) save(decision.session)
 * ```
 */
export function decideRotation(
  session: SessionRecord | null,
  consumedAt: number | undefined,
  step: RotationStep,
): RotationDecision {
  if (session === null) return refuse('unknown', null);
  if (session.revokedAt !== undefined) return refuse('revoked', session);
  if (session.expiresAt <= step.now) return refuse('expired', session);
  if (step.presentedHash === session.tokenHash) {
    return {
      outcome: 'rotated',
      session: { ...slide(session, step), tokenHash: step.successorHash },
      write: true,
      consume: true,
    };
  }
  if (consumedAt === undefined) return refuse('unknown', session);
  if (step.now < consumedAt + step.reuseInterval) {
    if (session.tokenHash !== step.successorHash) return refuse('superseded', session);
    return { outcome: 'grace', session: slide(session, step), write: true, consume: false };
  }
  return { outcome: 'reused', session: { ...session, revokedAt: step.now }, write: true, consume: false };
}

function slide(session: SessionRecord, step: RotationStep): SessionRecord {
  return {
    ...session,
    refreshedAt: step.now,
    expiresAt: Math.min(step.now + step.refreshTokenTtl, session.maxExpiresAt),
  };
}

function refuse(outcome: RotationOutcome, session: SessionRecord | null): RotationDecision {
  return { outcome, session, write: false, consume: false };
}

/**
 * True when a session is neither revoked nor expired at `now` (`expiresAt <= now` is expired).
 *
 * @example
 * ```ts
 * const live = sessions.filter((session) => isLive(session, now))
 * ```
 */
export function isLive(session: SessionRecord, now: number): boolean {
  return session.revokedAt === undefined && session.expiresAt > now;
}
