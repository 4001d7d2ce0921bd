// Faults injected in the middle of a soak: Redis or an app process killed with SIGKILL.
import { copyFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkRevokedAccess } from './final-checks.js';

/** The faults a soak can inject, by name. */
export const FAULTS = ['redis-kill', 'app-kill'];

/**
 * Waits until `fault.at` seconds into the soak, then:
 * - `redis-kill`: SIGKILL to redis-server, restarted `fault.downFor` seconds later on the same port and dir;
 * - `app-kill`: SIGKILL to the first app process, restarted at once on the same port. With SQLite,
 *   the database as the crash left it is copied first (`crashCopy`, with its WAL), for an integrity
 *   check. The access tokens of sessions revoked before the crash and not yet expired are then
 *   presented to the restarted process (`revokedAccess`).
 * Resolves with the moments (ms since the soak began) and what was checked.
 */
export async function injectFault(fault, { ctx, redis, apps, sqlitePath }) {
  const since = () => performance.now() - ctx.origin;
  await sleep(Math.max(0, fault.at * 1_000 - since()));
  const killAt = since();
  ctx.faultMoments.push(killAt);
  if (fault.kind === 'redis-kill') {
    await redis.kill('SIGKILL');
    await sleep(fault.downFor * 1_000);
    await redis.restart();
    return { kind: fault.kind, killAt, restartedAt: since() };
  }
  await apps[0].kill('SIGKILL');
  const crashCopy = sqlitePath === undefined ? undefined : copyDatabase(sqlitePath);
  await apps[0].restart();
  const restartedAt = since();
  const revokedAccess = await checkRevokedAccess(ctx, ctx.targets[0]);
  return { kind: fault.kind, killAt, restartedAt, revokedAccess, crashCopy };
}

/** Copies a SQLite database and its write-ahead log while no process writes to it; returns the copy's path. */
function copyDatabase(path) {
  const copy = `${path}.crash-copy`;
  for (const suffix of ['', '-wal']) if (existsSync(path + suffix)) copyFileSync(path + suffix, copy + suffix);
  return copy;
}
