import { PRELUDE } from './prelude.js';

/**
 * Revokes one live session, optionally only if a token hash is its current one
 * or one it consumed.
 *
 * KEYS[1] the session's hash. ARGV[3] id, ARGV[4] token hash or ''. Returns the
 * session's fields after revocation, or nil when nothing was revoked.
 */
export const REVOKE_SESSION = `${PRELUDE}
local id, tokenHash = ARGV[3], ARGV[4]
local session = readSession(id)
if session == nil or session.revokedAt or tonumber(session.expiresAt) <= now then return false end
if tokenHash ~= '' and tokenHash ~= session.tokenHash and redis.call('HEXISTS', consumedKey(id), tokenHash) == 0 then
  return false
end
revoke(id, session.subject)
return redis.call('HGETALL', KEYS[1])
`;
