// refresh per second on SQLite and Redis against raw jose SignJWT, in alternating rounds.
import { SignJWT } from 'jose';
import { opsPerSecondConcurrent, rate, summarize, table } from './measure.js';
import { benchRedisRefresh } from './stores-redis.js';
import { benchSqliteRefresh } from './stores-sqlite.js';
import { AUDIENCE, ISSUER, SECRET } from './http/settings.js';

/** Raw jose signing of a token of tokenlease's shape: the floor any refresh pays once. */
function rawSignJwt() {
  const key = new TextEncoder().encode(SECRET);
  const claims = { sub: 'user-1', sid: 's'.repeat(22), scope: 'read', jti: 'x'.repeat(22) };
  return () =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k' }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(key);
}

/**
 * Alternates raw SignJWT (0.5 s), a SqliteStore run and a RedisStore run (each `refreshes`
 * sequential refreshes; the Redis module starts its own redis-server) for `rounds` rounds.
 * Returns the Markdown table and the ratios of the medians to raw SignJWT.
 */
export async function benchStoreRefresh({ rounds, refreshes }) {
  const sign = rawSignJwt();
  const samples = { sign: [], sqlite: [], redis: [], roundTrips: [] };
  await opsPerSecondConcurrent(sign, 0.1);
  for (let round = 0; round < rounds; round++) {
    samples.sign.push(await opsPerSecondConcurrent(sign, 0.5));
    samples.sqlite.push((await benchSqliteRefresh({ refreshes })).opsPerSec);
    const redis = await benchRedisRefresh({ refreshes });
    samples.redis.push(redis.opsPerSec);
    samples.roundTrips.push(redis.roundTripsPerRefresh);
  }
  const signed = summarize('raw jose SignJWT', samples.sign);
  const sqlite = summarize('auth.refresh (SqliteStore)', samples.sqlite);
  const redis = summarize('auth.refresh (RedisStore)', samples.redis);
  const roundTrips = summarize('round trips', samples.roundTrips).median;
  const rows = [signed, sqlite, redis].map((row) => [row.name, rate(row.median), `${rate(row.min)}-${rate(row.max)}`, `${(row.median / signed.median).toFixed(2)}x`]);
  rows[2][0] += ` (${roundTrips.toFixed(2)} round trips per refresh)`;
  return {
    markdown: table('refresh on persistent stores (10 in flight, as a server has; alternating with raw SignJWT)', ['operation', 'ops/s (median)', 'min-max', 'vs raw jose'], rows),
    figures: { sqliteRatio: sqlite.median / signed.median, redisRatio: redis.median / signed.median },
  };
}
