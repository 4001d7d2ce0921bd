import { PRELUDE } from './prelude.js';

/**
 * The live sessions of a subject, oldest first, read in one consistent step.
 *
 * KEYS[1] the subject's sorted set. Returns id, fields, id, fields...
 */
export const LIST_SESSIONS = `${PRELUDE}
local found = {}
for _, session in ipairs(oldestFirst(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. nowText, '+inf'))) do
  table.insert(found, session.id)
  table.insert(found, redis.call('HGETALL', sessionKey(session.id)))
end
return found
`;
