import type { VerifiedToken } from '../access-token/access-token-claims.js';
import { refusal } from '../access-token/verify-access-token.js';
import { isLive } from './decide-rotation.js';
import type { RevocationList } from './revocation-list.js';
import type { SessionRecord } from './session-store.js';

/**
 * The store check of `verify` with `checkSession`, after the signature, the
 * claims and {@link checkRevocation}: the session must still be live.
 */
export async function checkStoredSession(
  verified: VerifiedToken,
  now: number,
  findSession: ((sessionId: string) => Promise<SessionRecord | null>) | undefined,
): Promise<VerifiedToken> {
  if (findSession === undefined) throw refusal('session_unknown');
  const session = await findSession(verified.sessionId);
  if (session === null || session.subject !== verified.subject || !isLive(session, now)) throw refusal('session_ended');
  return verified;
}

/** The check of the in-process revocation list alone, which needs no store: returns the token or throws `revoked`. */
export function checkRevocation(verified: VerifiedToken, now: number, revocations: RevocationList): VerifiedToken {
  if (revocations.isRevoked(verified.sessionId, verified.subject, verified.issuedAt, now)) throw refusal('revoked');
  return verified;
}
