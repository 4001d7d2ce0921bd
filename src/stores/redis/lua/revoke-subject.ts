import { PRELUDE } from './prelude.js';

/**
 * Revokes every live session of a subject and records `now` as the subject's
 * "not before" time, for `revokedSince`.
 *
 * KEYS[1] the subject's sorted set. ARGV[3] subject. Returns the revoked ids.
 */
export const REVOKE_SUBJECT = `${PRELUDE}
trim(liveKey)
trim(KEYS[1])
remember(notBeforeKey, ARGV[3])
local revoked = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if revoke(id, ARGV[3]) then table.insert(revoked, id) end
end
return revoked
`;
