/**
 * The revocations of one shard made at or after a time, read in one step. It
 * writes nothing (`no-writes`), so it needs no prelude.
 *
 * KEYS[1] the shard's revoked sessions, KEYS[2] its subjects' "not before"
 * times, both sorted sets by time. ARGV[1] the time. Returns two flat lists:
 * `id, time, id, time...` and `subject, time, subject, time...`.
 */
export const REVOKED_SINCE = `#!lua flags=no-writes
return {
  redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf', 'WITHSCORES'),
  redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf', 'WITHSCORES')
}
`;
