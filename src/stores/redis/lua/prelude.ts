import { KEY_PARTS } from '../key-layout.js';

/**
 * Extra lifetime of every key past the expiry it serves, in milliseconds: the
 * core's clock counts whole seconds and application instances drift apart, so a
 * session is kept a little longer than its rules need and answers `expired` or
 * `revoked` rather than `unknown` meanwhile.
 */
export const TTL_MARGIN_MS = 60_000;

/**
 * Lua shared by every script. Each script receives `ARGV[1]`, the shard's
 * hash-tagged base, and `ARGV[2]`, the core's `now`; the rules use that `now`,
 * never Redis TIME. Keys are built from the base because some cannot be named
 * in advance (a subject read from the session, the sessions a login evicts);
 * they all share the base's hash tag, so a script stays in one Cluster slot.
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

-- A revoked session keeps its hash until expiresAt, to answer 'revoked'; it leaves the counts now.
local function revoke(id, subject)
  redis.call('ZREM', liveKey, id)
  redis.call('ZREM', subjectKey(subject), id)
  if redis.call('EXISTS', sessionKey(id)) == 0 then return false end
  redis.call('HSET', sessionKey(id), 'revokedAt', nowText)
  redis.call('DEL', consumedKey(id))
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
