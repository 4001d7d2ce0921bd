import { PRELUDE } from './prelude.js';

/**
 * Revokes one session, optionally only if a token hash is its current one or
 * one it consumed. A session already revoked (a retried logout) is answered as
 * it is, with nothing written.
 *
 * KEYS[1] the session's hash. ARGV[3] id, ARGV[4] token hash or ''. Returns
 * `{ already, fields }` (already: 1 when it had been revoked before, else 0)
 * with the session's fields after the step, or nil when the session is
 * unknown, expired, or the hash is not one of its tokens.
 */
export const REVOKE_SESSION = `${PRELUDE}
local id, tokenHash = ARGV[3], ARGV[4]
local session = readSession(id)
if session == nil or tonumber(session.expiresAt) <= now then return false end
if tokenHash ~= '' and tokenHash ~= session.tokenHash and redis.call('HEXISTS', consumedKey(id), tokenHash) == 0 then
  return false
end
if session.revokedAt then return { 1, redis.call('HGETALL', KEYS[1]) } end
revoke(id, session.subject)
return { 0, redis.call('HGETALL', KEYS[1]) }
`;
