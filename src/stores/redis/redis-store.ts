import type { Cluster, Redis } from 'ioredis';
import type {
  CreatedSession,
  NewSession,
  RevocationChannel,
  RevocationNotice,
  RevokedSession,
  RotationOutcome,
  RotationResult,
  RotationStep,
  SessionRecord,
  SessionStore,
} from '../../session/session-store.js';
import { defineScript, type ScriptRunner } from './define-script.js';
import {
  liveKey,
  newSessionId,
  notBeforeKey,
  revokedKey,
  sessionKey,
  SHARDS,
  shardBase,
  shardOfSession,
  shardOfSubject,
  subjectKey,
} from './key-layout.js';
import { CREATE_SESSION } from './lua/create-session.js';
import { LIST_SESSIONS } from './lua/list-sessions.js';
import { REVOKE_SESSION } from './lua/revoke-session.js';
import { REVOKE_SUBJECT } from './lua/revoke-subject.js';
import { REVOKED_SINCE } from './lua/revoked-since.js';
import { ROTATE_SESSION } from './lua/rotate-session.js';
import { RedisClockOffset } from './redis-clock-offset.js';
import { RedisRevocationChannel } from './redis-revocation-channel.js';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './redis-store-options.js';
import { decodeRevocations, decodeSession, decodeSessions, encodeSession, type RevocationsReply, type SessionFields } from './session-codec.js';

/**
 * Sessions in Redis, standalone or Cluster, shared by every instance of an
 * application. Each step is one Lua script, so one round trip and atomic; a
 * refresh runs an exact port of the core's rotation rules. All keys of a
 * subject share one hash slot (`{<prefix>:<shard>}`, sixteen shards), expired
 * data leaves by Redis TTLs, and counting is O(log n) over sorted sets by
 * expiry. Revocations are broadcast to the other instances over pub/sub
 * ({@link RedisStore.revocations}) and kept for a day for
 * {@link RedisStore.revokedSince}, which a process reads at start and whenever
 * its subscription comes back after a drop.
 *
 * A login or refresh carries the core's deadline: the script compares it with
 * Redis TIME and, when it runs later (ioredis resends the commands a dropped
 * connection left unanswered, and may queue them while offline), writes
 * nothing and the store throws `StoreUnavailableError` `timeout`. The
 * deadline is translated into Redis's clock with an offset measured by TIME
 * each time the client is ready; until one is known, no deadline is checked.
 *
 * Give the client options that fail fast while Redis is down, so a refresh
 * answers 503 at once instead of waiting for the core's `storeTimeout`:
 * `maxRetriesPerRequest: 1` and `enableOfflineQueue: false` (or a small
 * `commandTimeout`, such as 1000). ioredis reconnects by itself when Redis is
 * back; the store needs nothing more.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { RedisStore } from 'tokenlease/redis'
 *
 * const client = new Redis({ host: 'redis', maxRetriesPerRequest: 1, enableOfflineQueue: false })
 * const auth = createAuth({ issuer, audience, keys, store: new RedisStore({ client }) })
 * ```
 */
export class RedisStore implements SessionStore {
  /** The revocation broadcast: pub/sub on `<prefix>:revocations`, through a connection of its own. */
  readonly revocations: RevocationChannel;
  readonly #channel: RedisRevocationChannel;
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #create: ScriptRunner;
  readonly #rotate: ScriptRunner;
  readonly #revoke: ScriptRunner;
  readonly #revokeSubject: ScriptRunner;
  readonly #list: ScriptRunner;
  readonly #revokedSince: ScriptRunner;
  readonly #clockOffset: RedisClockOffset;

  constructor(options: RedisStoreOptions) {
    const { client, prefix } = resolveRedisStoreOptions(options);
    this.#client = client;
    this.#prefix = prefix;
    this.#channel = new RedisRevocationChannel(client, `${prefix}:revocations`);
    this.revocations = this.#channel;
    this.#clockOffset = new RedisClockOffset(client);
    this.#create = defineScript(client, 'tokenleaseCreateSession', CREATE_SESSION, 1);
    this.#rotate = defineScript(client, 'tokenleaseRotateSession', ROTATE_SESSION, 1);
    this.#revoke = defineScript(client, 'tokenleaseRevokeSession', REVOKE_SESSION, 1);
    this.#revokeSubject = defineScript(client, 'tokenleaseRevokeSubject', REVOKE_SUBJECT, 1);
    this.#list = defineScript(client, 'tokenleaseListSessions', LIST_SESSIONS, 1);
    this.#revokedSince = defineScript(client, 'tokenleaseRevokedSince', REVOKED_SINCE, 2);
  }

  async create(session: NewSession, now: number, limit?: number, deadline?: number): Promise<CreatedSession> {
    const shard = shardOfSubject(session.subject);
    const id = newSessionId(shard);
    const base = this.#shard(shard);
    const redisDeadline = await this.#clockOffset.toRedisTime(deadline);
    const args = [base, String(now), id, session.subject, String(session.expiresAt), String(limit ?? 0), redisDeadline, ...encodeSession(session)];
    const evicted = (await this.#create([sessionKey(base, id)], args)) as unknown[];
    return { session: { ...session, id }, evicted: decodeSessions(evicted) };
  }

  async rotate(step: RotationStep): Promise<RotationResult> {
    const shard = shardOfSession(step.sessionId);
    if (shard === undefined) return { outcome: 'unknown', session: null };
    const base = this.#shard(shard);
    const { sessionId, now, presentedHash, successorHash, refreshTokenTtl, reuseInterval } = step;
    const redisDeadline = await this.#clockOffset.toRedisTime(step.deadline);
    const args = [base, String(now), sessionId, presentedHash, successorHash, String(now + refreshTokenTtl), String(reuseInterval), redisDeadline];
    const [outcome, fields] = (await this.#rotate([sessionKey(base, sessionId)], args)) as [RotationOutcome, SessionFields?];
    return { outcome, session: fields === undefined ? null : decodeSession(sessionId, fields) };
  }

  async find(sessionId: string): Promise<SessionRecord | null> {
    const shard = shardOfSession(sessionId);
    if (shard === undefined) return null;
    const fields = await this.#client.hgetall(sessionKey(this.#shard(shard), sessionId));
    return Object.keys(fields).length === 0 ? null : decodeSession(sessionId, Object.entries(fields).flat());
  }

  async revoke(sessionId: string, now: number, tokenHash?: string): Promise<RevokedSession | null> {
    const shard = shardOfSession(sessionId);
    if (shard === undefined) return null;
    const base = this.#shard(shard);
    const args = [base, String(now), sessionId, tokenHash ?? ''];
    const reply = (await this.#revoke([sessionKey(base, sessionId)], args)) as [0 | 1, SessionFields] | null;
    return reply === null ? null : { session: decodeSession(sessionId, reply[1]), already: reply[0] === 1 };
  }

  async revokeSubject(subject: string, now: number): Promise<readonly string[]> {
    const base = this.#shard(shardOfSubject(subject));
    return (await this.#revokeSubject([subjectKey(base, subject)], [base, String(now), subject])) as string[];
  }

  async count(now: number, subject?: string): Promise<number> {
    const above = `(${now}`;
    if (subject !== undefined) return this.#client.zcount(subjectKey(this.#shard(shardOfSubject(subject)), subject), above, '+inf');
    const counts = await Promise.all(SHARDS.map((shard) => this.#client.zcount(liveKey(this.#shard(shard)), above, '+inf')));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async list(subject: string, now: number): Promise<readonly SessionRecord[]> {
    const base = this.#shard(shardOfSubject(subject));
    return decodeSessions((await this.#list([subjectKey(base, subject)], [base, String(now)])) as unknown[]);
  }

  /**
   * The revocations made at or after `since`: one notice per revocation time
   * with the sessions revoked then (by a revoke, reuse detection, a login over
   * the limit or `revokeSubject`), and one per subject whose latest "not
   * before" time is at or after `since`, with no ids. One read per shard. It
   * reaches back at most `REVOCATION_HORIZON_S`, a day.
   */
  async revokedSince(since: number): Promise<readonly RevocationNotice[]> {
    const replies = await Promise.all(
      SHARDS.map((shard) => {
        const base = this.#shard(shard);
        return this.#revokedSince([revokedKey(base), notBeforeKey(base)], [String(since)]) as Promise<RevocationsReply>;
      }),
    );
    return decodeRevocations(replies);
  }

  /**
   * Closes the store's pub/sub connection (`auth.close()` also does when it was the last
   * listener) and stops measuring the Redis clock. The client stays open: it belongs to the caller.
   */
  async close(): Promise<void> {
    this.#channel.close();
    this.#clockOffset.close();
  }

  #shard(shard: string): string {
    return shardBase(this.#prefix, shard);
  }
}
