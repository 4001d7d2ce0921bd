import { KEY_PARTS } from '../key-layout.js';

/**
 * Extra lifetime of every key past the expiry it serves, in milliseconds: the
 * core's clock counts whole seconds and application instances drift apart, so a
 * session is kept a little longer than its rules need and answers `expired` or
 * `revoked` rather than `unknown` meanwhile.
 */
export const TTL_MARGIN_MS = 60_000;

/**
 * How far back, in seconds, the store remembers revocations for
 * `revokedSince`: one day. Older entries are trimmed whenever a script records
 * a revocation, and the shard's sets expire a day after the last one, so they
 * stay small. A process that reloads revocations over a longer span (an access
 * token lifetime plus clock tolerance above a day) misses the older ones.
 */
export const REVOCATION_HORIZON_S = 86_400;

/**
 * The first word of the error a script answers when it reaches a step after
 * the deadline its caller sent: it has written nothing.
 */
export const PAST_DEADLINE = 'TOKENLEASE_PAST_DEADLINE';

/**
 * Lua shared by every script. Each script receives `ARGV[1]`, the shard's
 * hash-tagged base, and `ARGV[2]`, the core's `now`; the rules use that `now`,
 * never Redis TIME, which serves only to judge a deadline (`pastDeadline`).
 * Keys are built from the base because some cannot be named in advance (a
 * subject read from the session, the sessions a login evicts); they all share
 * the base's hash tag, so a script stays in one Cluster slot.
 *
 * Numbers the core chose are stored as the strings it sent: Lua would print a
 * computed double with 14 digits and lose precision.
 */
export const PRELUDE = `
local base = ARGV[1]
local nowText = ARGV[2]
local now = tonumber(nowText)
local liveKey = base .. '${KEY_PARTS.live}'
local sequenceKey = base .. '${KEY_PARTS.sequence}'
local revokedKey = base .. '${KEY_PARTS.revoked}'
local notBeforeKey = base .. '${KEY_PARTS.notBefore}'

local function sessionKey(id) return base .. '${KEY_PARTS.session}' .. id end
local function consumedKey(id) return base .. '${KEY_PARTS.consumed}' .. id end
local function subjectKey(subject) return base .. '${KEY_PARTS.subject}' .. subject end

-- Relative TTLs from the core's now: tests and skewed hosts run clocks far from Redis's.
local function ttlMs(expiresAt)
  return math.ceil((tonumber(expiresAt) - now) * 1000) + ${TTL_MARGIN_MS}
end

local function keepUntil(key, expiresAt)
  local wanted = ttlMs(expiresAt)
  if redis.call('PTTL', key) < wanted then redis.call('PEXPIRE', key, wanted) end
end

local function trim(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', nowText)
end

-- The deadline comes translated into Redis's clock by the store ('' for none). Redis 7 replicates
-- a script's effects, not the script, so reading TIME before writing is allowed.
local function pastDeadline(deadline)
  if deadline == '' then return false end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000 > tonumber(deadline)
end

-- What revokedSince reads back, held for ${REVOCATION_HORIZON_S} s after the last revocation. GT keeps
-- a subject's latest time when an instance with a lagging clock revokes it again.
local function remember(key, member)
  redis.call('ZADD', key, 'GT', nowText, member)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - ${REVOCATION_HORIZON_S}))
  redis.call('PEXPIRE', key, ${REVOCATION_HORIZON_S * 1000} + ${TTL_MARGIN_MS})
end

local function readSession(id)
  local flat = redis.call('HGETALL', sessionKey(id))
  if #flat == 0 then return nil end
  local session = {}
  for i = 1, #flat, 2 do session[flat[i]] = flat[i + 1] end
  return session
end

local function index(id, subject, expiresAt)
  local bySubject = subjectKey(subject)
  redis.call('ZADD', liveKey, expiresAt, id)
  redis.call('ZADD', bySubject, expiresAt, id)
  keepUntil(liveKey, expiresAt)
  keepUntil(bySubject, expiresAt)
end

-- A revoked session keeps its hash until expiresAt, to answer 'revoked', and the hashes it
-- consumed, so that a retried logout with an earlier token still finds it; it leaves the counts now.
local function revoke(id, subject)
  redis.call('ZREM', liveKey, id)
  redis.call('ZREM', subjectKey(subject), id)
  if redis.call('EXISTS', sessionKey(id)) == 0 then return false end
  redis.call('HSET', sessionKey(id), 'revokedAt', nowText)
  remember(revokedKey, id)
  return true
end

local function oldestFirst(ids)
  local sessions = {}
  for _, id in ipairs(ids) do
    local fields = redis.call('HMGET', sessionKey(id), 'createdAt', 'seq')
    if fields[1] then
      table.insert(sessions, { id = id, createdAt = tonumber(fields[1]), seq = tonumber(fields[2]) or 0 })
    end
  end
  table.sort(sessions, function(a, b)
    if a.createdAt ~= b.createdAt then return a.createdAt < b.createdAt end
    return a.seq < b.seq
  end)
  return sessions
end
`;
