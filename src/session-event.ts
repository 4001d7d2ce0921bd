/** Why a session was revoked. */
export type RevocationReason = 'token' | 'session' | 'subject' | 'limit' | 'reuse';

interface SessionEventBase {
  readonly sessionId: string;
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
  | (SessionEventBase & { readonly type: 'session.created' })
  | (SessionEventBase & { readonly type: 'session.refreshed'; readonly concurrent: boolean })
  | (SessionEventBase & { readonly type: 'session.revoked'; readonly reason: RevocationReason })
  | (SessionEventBase & { readonly type: 'session.reuse_detected' });
