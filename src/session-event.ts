/** Why a session was revoked. */
export type RevocationReason = 'token' | 'session' | 'subject' | 'limit' | 'reuse';

/** What every {@link SessionEvent} carries. */
export interface SessionEventBase {
  /** The session the event is about. */
  readonly sessionId: string;
  /** Its subject. */
  readonly subject: string;
  /** Epoch seconds from the configured clock. */
  readonly at: number;
}

/**
 * What `onEvent` receives: a session was created, refreshed (`concurrent` when
 * within the reuse interval), revoked, or one of its rotated refresh tokens was
 * presented again outside the reuse interval (likely theft: the session is
 * revoked at once).
 */
export type SessionEvent =
  | (SessionEventBase & {
      /** A login. */
      readonly type: 'session.created';
    })
  | (SessionEventBase & {
      /** A refresh. */
      readonly type: 'session.refreshed';
      /** True for a concurrent refresh within the reuse interval (no new token was made). */
      readonly concurrent: boolean;
    })
  | (SessionEventBase & {
      /** A revocation. */
      readonly type: 'session.revoked';
      /** What revoked it. */
      readonly reason: RevocationReason;
    })
  | (SessionEventBase & {
      /** A rotated refresh token came back: likely theft. The session is revoked too. */
      readonly type: 'session.reuse_detected';
    });
