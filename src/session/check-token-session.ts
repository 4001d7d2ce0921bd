import type { VerifiedToken, VerifyOptions } from '../access-token/access-token-claims.js';
import { refusal } from '../access-token/verify-access-token.js';
import { isLive } from './decide-rotation.js';
import type { RevocationList } from './revocation-list.js';
import type { SessionRecord } from './session-store.js';

/**
 * The session checks of `verify`, after the signature and claims: the
 * in-process revocation list always, the store when `checkSession` asks.
 */
export async function checkTokenSession(
  verified: VerifiedToken,
  now: number,
  revocations: RevocationList,
  findSession: ((sessionId: string) => Promise<SessionRecord | null>) | undefined,
  options: VerifyOptions | undefined,
): Promise<VerifiedToken> {
  checkRevocation(verified, now, revocations);
  if (options?.checkSession !== true) return verified;
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
