import { PAST_DEADLINE, PRELUDE } from './prelude.js';

/**
 * One refresh, atomically: an exact port of `decideRotation`
 * (src/session/decide-rotation.ts), held to the same conformance suite. Past
 * its deadline it writes nothing and answers the {@link PAST_DEADLINE} error:
 * the core has answered 503, and its client still holds the presented token.
 *
 * KEYS[1] the session's hash. ARGV[3] id, ARGV[4] presented hash, ARGV[5]
 * successor hash, ARGV[6] now + refreshTokenTtl (computed by the core),
 * ARGV[7] reuseInterval, ARGV[8] deadline on Redis's clock in ms ('' for
 * none). Returns the outcome and, unless the session is unknown, its fields
 * after the step.
 */
export const ROTATE_SESSION = `${PRELUDE}
if pastDeadline(ARGV[8]) then return redis.error_reply('${PAST_DEADLINE} the refresh reached Redis after its deadline') end
local id, presented, successor, slideTo, reuseInterval = ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local session = readSession(id)
if session == nil then return { 'unknown' } end

local function answer(outcome)
  return { outcome, redis.call('HGETALL', KEYS[1]) }
end

local function slide()
  local expiresAt = slideTo
  if tonumber(session.maxExpiresAt) < tonumber(slideTo) then expiresAt = session.maxExpiresAt end
  redis.call('HSET', KEYS[1], 'refreshedAt', nowText, 'expiresAt', expiresAt)
  redis.call('PEXPIRE', KEYS[1], ttlMs(expiresAt))
  redis.call('PEXPIRE', consumedKey(id), ttlMs(expiresAt))
  index(id, session.subject, expiresAt)
end

if session.revokedAt then return answer('revoked') end
if tonumber(session.expiresAt) <= now then return answer('expired') end
if presented == session.tokenHash then
  redis.call('HSET', KEYS[1], 'tokenHash', successor)
  redis.call('HSET', consumedKey(id), presented, nowText)
  slide()
  return answer('rotated')
end

local consumedAt = redis.call('HGET', consumedKey(id), presented)
if not consumedAt then return answer('unknown') end
if now < tonumber(consumedAt) + reuseInterval then
  if session.tokenHash ~= successor then return answer('superseded') end
  slide()
  return answer('grace')
end
revoke(id, session.subject)
return answer('reused')
`;
