import { PAST_DEADLINE, PRELUDE } from './prelude.js';

/**
 * Creates a session and, with a limit, revokes the subject's oldest live
 * sessions in the same step. Past its deadline it writes nothing and answers
 * the {@link PAST_DEADLINE} error.
 *
 * KEYS[1] the new session's hash. ARGV[3] id, ARGV[4] subject, ARGV[5]
 * expiresAt, ARGV[6] limit (0 for none), ARGV[7] deadline on Redis's clock in
 * ms ('' for none), ARGV[8..] the hash's field/value pairs. Returns the
 * evicted sessions as id, fields, id, fields...
 */
export const CREATE_SESSION = `${PRELUDE}
if pastDeadline(ARGV[7]) then return redis.error_reply('${PAST_DEADLINE} the login reached Redis after its deadline') end
local id, subject, expiresAt, limit = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local bySubject = subjectKey(subject)
trim(liveKey)
trim(bySubject)

local evicted = {}
if limit > 0 then
  local live = oldestFirst(redis.call('ZRANGE', bySubject, 0, -1))
  for i = 1, #live - limit + 1 do
    local oldest = live[i].id
    revoke(oldest, subject)
    table.insert(evicted, oldest)
    table.insert(evicted, redis.call('HGETALL', sessionKey(oldest)))
  end
end

redis.call('HSET', KEYS[1], 'seq', redis.call('INCR', sequenceKey), unpack(ARGV, 8))
redis.call('PEXPIRE', KEYS[1], ttlMs(expiresAt))
keepUntil(sequenceKey, expiresAt)
index(id, subject, expiresAt)
return evicted
`;
