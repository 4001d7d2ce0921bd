import { parseArgs } from 'node:util';
import type { RevocationNotice, SessionRecord, SessionStore } from '../../session/session-store.js';
import type { CliIo } from '../cli-io.js';
import { messageOf } from '../message-of.js';
import { openStore } from '../open-store.js';
import { HELP_OPTION, parseCommandLine } from '../parse-command-line.js';
import { describeStoreLocation, parseStoreLocation } from '../store-location.js';
import { UsageError } from '../usage-error.js';
import { SESSIONS_HELP } from './sessions-help.js';

const OPTIONS = {
  ...HELP_OPTION,
  store: { type: 'string' },
  subject: { type: 'string' },
  session: { type: 'string' },
  prefix: { type: 'string' },
} as const;

type Action = 'count' | 'list' | 'revoke';

/** What one `sessions` action needs, checked. */
interface SessionsRequest {
  readonly action: Action;
  readonly subject: string | undefined;
  readonly session: string | undefined;
}

/** `tokenlease sessions count|list|revoke`: the operator's view of a store, without the signing keys. */
export async function runSessions(args: readonly string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseCommandLine('sessions', () =>
    parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true }),
  );
  if (values.help === true) return io.out(SESSIONS_HELP);
  const request = checkRequest(positionals, values.subject, values.session);
  const location = parseStoreLocation(values.store);
  if (values.prefix !== undefined && location.kind !== 'redis') throw new UsageError('sessions', '--prefix applies to a Redis store only');
  const opened = await openStore(location, values.prefix);
  try {
    io.out(await perform(opened.store, request, Math.floor(Date.now() / 1000)));
  } catch (error) {
    throw new Error(`${describeStoreLocation(location)} failed: ${messageOf(error)}`, { cause: error });
  } finally {
    await opened.close();
  }
}

function checkRequest(positionals: readonly string[], subject: string | undefined, session: string | undefined): SessionsRequest {
  const [action, ...rest] = positionals;
  if (action !== 'count' && action !== 'list' && action !== 'revoke') {
    throw new UsageError('sessions', action === undefined ? 'missing action: count, list or revoke' : `unknown action "${action}": count, list or revoke`);
  }
  if (rest.length > 0) throw new UsageError('sessions', `unexpected argument "${rest[0]}"`);
  if (subject === '' || session === '') throw new UsageError('sessions', '--subject and --session must not be empty');
  if (action !== 'revoke' && session !== undefined) throw new UsageError('sessions', `--session applies to revoke only`);
  if (action === 'list' && subject === undefined) throw new UsageError('sessions', 'list needs --subject');
  if (action === 'revoke' && (subject === undefined) === (session === undefined)) {
    throw new UsageError('sessions', 'revoke needs either --subject or --session');
  }
  return { action, subject, session };
}

async function perform(store: SessionStore, request: SessionsRequest, now: number): Promise<string> {
  const { action, subject, session } = request;
  if (action === 'count') return `${await store.count(now, subject)}\n`;
  if (action === 'list') return `${JSON.stringify((await store.list(subject ?? '', now)).map(toSessionView), null, 2)}\n`;
  if (session !== undefined) {
    const result = await store.revoke(session, now);
    // Already revoked: announced again (a broadcast may have been missed), but not counted.
    if (result !== null) await broadcast(store, { sessionIds: [result.session.id], at: result.session.revokedAt ?? now }, 1);
    return `${result === null || result.already ? 0 : 1}\n`;
  }
  const ids = await store.revokeSubject(subject ?? '', now);
  // The subject's "not before" goes out even with no live session: access tokens may outlive sessions.
  await broadcast(store, { sessionIds: ids, at: now, ...(subject === undefined ? {} : { subject }) }, ids.length);
  return `${ids.length}\n`;
}

/** Tells running processes, through the store's channel when it has one, to refuse the access tokens at once. */
async function broadcast(store: SessionStore, notice: RevocationNotice, revoked: number): Promise<void> {
  try {
    await store.revocations?.publish(notice);
  } catch (error) {
    throw new Error(
      `revoked ${revoked} session(s) in the store, but could not tell running processes (${messageOf(error)}): ` +
        'they accept the access tokens already issued until these expire',
      { cause: error },
    );
  }
}

/** A session as `list` prints it: the fields of `auth.listSessions`, with each time also in ISO 8601. */
function toSessionView(session: SessionRecord): Record<string, unknown> {
  const { id, subject, scope, createdAt, refreshedAt, expiresAt } = session;
  return {
    id,
    subject,
    ...(scope === undefined ? {} : { scope }),
    createdAt,
    refreshedAt,
    expiresAt,
    createdAtIso: isoOf(createdAt),
    refreshedAtIso: isoOf(refreshedAt),
    expiresAtIso: isoOf(expiresAt),
  };
}

function isoOf(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
