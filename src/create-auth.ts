import type { TokenVerifier, VerifiedToken, VerifyOptions } from './access-token/access-token-claims.js';
import { checkCustomClaims, issueAccessToken } from './access-token/issue-access-token.js';
import { VerifiedTokenCache } from './access-token/verified-token-cache.js';
import { readAccessToken, verifyReadToken } from './access-token/verify-access-token.js';
import { resolveAuthOptions, type AuthOptions } from './auth-options.js';
import { ConfigurationError, InvalidGrantError } from './errors.js';
import type { JWK } from './keys/key-options.js';
import type { RevocationReason, SessionEvent } from './session-event.js';
import { StoreGuard } from './session/guard-store.js';
import {
  deriveSuccessorSecret,
  formatRefreshToken,
  hashRefreshSecret,
  mintRefreshSecret,
  parseRefreshToken,
} from './session/refresh-token.js';
import { RevocationList } from './session/revocation-list.js';
import type { RevocationNotice, RevokedSession, SessionRecord } from './session/session-store.js';
import { RevocationReplay } from './session/revocation-replay.js';
import type { IssueInput, SessionInfo, TokenSet } from './token-set.js';
import { checkRevocation, checkStoredSession } from './session/check-token-session.js';
import { withVerifyNow } from './access-token/verify-now.js';

/** A JWK Set of public keys, as `/jwks.json` serves it. */
export interface PublicJwkSet {
  /** Public JWKs only: never a secret or a private member. */
  keys: JWK[];
}

/** The tokenlease core: issues, refreshes, verifies and revokes. */
export interface Auth extends TokenVerifier {
  /** Starts a session for a subject (a login) and returns its first token pair. */
  issue(input: IssueInput): Promise<TokenSet>;
  /** Rotates a refresh token: a new pair, the session extended. Throws {@link InvalidGrantError}. */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** RFC 7009: revokes the session of a refresh token; an unknown token is not an error. */
  revoke(refreshToken: string): Promise<void>;
  /** Revokes one session by id; returns whether a live session was revoked. */
  revokeSession(sessionId: string): Promise<boolean>;
  /** Revokes every session of a subject; returns how many were revoked. */
  revokeSubject(subject: string): Promise<number>;
  /** The number of live sessions, overall or of one subject. */
  countActiveSessions(subject?: string): Promise<number>;
  /** The live sessions of a subject, oldest first. */
  listSessions(subject: string): Promise<readonly SessionInfo[]>;
  /** The public JWK Set of the verification keys (empty for HS256). */
  jwks(): PublicJwkSet;
  /** Stops listening for revocations from other processes. */
  close(): void;
}

/**
 * Creates the tokenlease core. Options are checked here, once.
 *
 * @example
 * ```ts
 * const auth = createAuth({ issuer: 'https://api.example.com', audience: 'api', keys: { secret: process.env.JWT_SECRET! } })
 * const tokens = await auth.issue({ subject: 'user-1', scope: 'read' })
 * const { subject } = await auth.verify(tokens.accessToken)
 * const next = await auth.refresh(tokens.refreshToken)
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const config = resolveAuthOptions(options);
  const { store, clock, keys } = config;
  const revocationRetention = config.accessTokenTtl + config.clockTolerance;
  const revocations = new RevocationList(revocationRetention);
  const cache = new VerifiedTokenCache(config.verifyCacheSize);
  const policy = {
    issuer: config.issuer,
    audience: config.audience,
    maxLifetime: config.accessTokenTtl,
    clockTolerance: config.clockTolerance,
    maxLength: config.maxTokenLength,
  };
  const verifyFresh = (token: string, now: number): VerifiedToken => {
    const jws = readAccessToken(token, config.maxTokenLength);
    return verifyReadToken(jws, keys.verification.get(jws.kid), policy, now);
  };
  /** Every check that needs no store: the cache or a fresh verification, then the in-process revocations. */
  const verifyHere = (token: string, now: number): VerifiedToken =>
    checkRevocation(cache.get(token, policy, now) ?? cache.set(token, verifyFresh(token, now)), now, revocations);
  const guard = new StoreGuard({ timeoutMs: config.storeTimeoutMs, maxPending: config.maxPendingStoreCalls });
  const call = <T>(run: (deadline: number) => Promise<T>): Promise<T> => guard.run(run);
  // Revocations made while this process was not listening (before it started, or while its
  // subscription was lost), read back as far as a token issued before them can still be alive.
  const revokedSince = store.revokedSince?.bind(store);
  const replay =
    revokedSince === undefined
      ? undefined
      : new RevocationReplay(async () => {
          const notices = await call(() => revokedSince(clock() - revocationRetention));
          for (const notice of notices) revocations.apply(notice, clock());
        }, config.storeTimeoutMs);
  const unsubscribe =
    store.revocations?.subscribe(
      (notice) => revocations.apply(notice, clock()),
      () => void replay?.request(),
    ) ?? (() => undefined);
  const emit = (event: SessionEvent): void => {
    try {
      config.onEvent(event);
    } catch {
      // An event listener must not turn a completed login or refresh into a failure.
    }
  };

  const accessTokenSettings = { ...policy, lifetime: config.accessTokenTtl };
  async function tokenSet(session: SessionRecord, secret: string, now: number): Promise<TokenSet> {
    const grant = { subject: session.subject, sessionId: session.id, scope: session.scope, claims: session.claims };
    const accessToken = await issueAccessToken(grant, keys.signing, accessTokenSettings, now);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: Math.floor(config.accessTokenTtl),
      refreshToken: formatRefreshToken({ sessionId: session.id, secret }),
      refreshExpiresIn: Math.max(0, Math.floor(session.expiresAt - now)),
      sessionId: session.id,
      ...(session.scope === undefined ? {} : { scope: session.scope }),
    };
  }

  /** Applies a revocation here and tells the other processes. */
  function announce(notice: RevocationNotice, now: number): void {
    revocations.apply(notice, now);
    // Other processes learn of it best-effort, without holding up the answer: this process already
    // refuses, and the store holds the truth. The guard bounds a broadcast stuck on a dead connection.
    const channel = store.revocations;
    if (channel !== undefined) void call(() => channel.publish(notice)).catch(() => undefined);
  }

  function revoked(sessions: readonly Pick<SessionRecord, 'id' | 'subject'>[], reason: RevocationReason, now: number, subject?: string): void {
    if (sessions.length === 0 && subject === undefined) return;
    announce({ sessionIds: sessions.map((session) => session.id), at: now, ...(subject === undefined ? {} : { subject }) }, now);
    for (const session of sessions) emit({ type: 'session.revoked', sessionId: session.id, subject: session.subject, at: now, reason });
  }

  /**
   * After `store.revoke`: a session revoked now is announced with its event; one already revoked
   * (a logout retried after a timeout, whose first attempt the store carried out late) is
   * announced again without one, since this process may never have applied it.
   */
  function revokedOne(result: RevokedSession | null, reason: RevocationReason, now: number): boolean {
    if (result === null) return false;
    if (!result.already) {
      revoked([result.session], reason, now);
      return true;
    }
    announce({ sessionIds: [result.session.id], at: result.session.revokedAt ?? now }, now);
    return false;
  }

  const auth: Auth = {
    realm: config.issuer,

    async issue(input) {
      const subject = checkSubject(input?.subject);
      const scope = normalizeScope(input.scope);
      const claims = checkCustomClaims(input.claims);
      const now = clock();
      const secret = mintRefreshSecret();
      const created = await call((deadline) =>
        store.create(
          {
            subject,
            createdAt: now,
            refreshedAt: now,
            expiresAt: now + Math.min(config.refreshTokenTtl, config.sessionMaxAge),
            maxExpiresAt: now + config.sessionMaxAge,
            tokenHash: hashRefreshSecret(secret),
            ...(scope === undefined ? {} : { scope }),
            ...(claims === undefined ? {} : { claims }),
          },
          now,
          config.maxSessionsPerSubject,
          deadline,
        ),
      );
      revoked(created.evicted, 'limit', now);
      emit({ type: 'session.created', sessionId: created.session.id, subject, at: now });
      return tokenSet(created.session, secret, now);
    },

    async refresh(refreshToken) {
      const presented = parseRefreshToken(refreshToken);
      if (presented === undefined) throw new InvalidGrantError('malformed');
      const successor = deriveSuccessorSecret(keys.successorKey, presented);
      const now = clock();
      const { outcome, session } = await call((deadline) =>
        store.rotate({
          sessionId: presented.sessionId,
          presentedHash: hashRefreshSecret(presented.secret),
          successorHash: hashRefreshSecret(successor),
          now,
          refreshTokenTtl: config.refreshTokenTtl,
          reuseInterval: config.reuseInterval,
          deadline,
        }),
      );
      if ((outcome === 'rotated' || outcome === 'grace') && session !== null) {
        emit({ type: 'session.refreshed', sessionId: session.id, subject: session.subject, at: now, concurrent: outcome === 'grace' });
        return tokenSet(session, successor, now);
      }
      if (outcome === 'reused' && session !== null) {
        emit({ type: 'session.reuse_detected', sessionId: session.id, subject: session.subject, at: now });
        revoked([session], 'reuse', now);
      }
      throw new InvalidGrantError(outcome === 'rotated' || outcome === 'grace' ? 'unknown' : outcome);
    },

    async verify(token: string, verifyOptions?: VerifyOptions): Promise<VerifiedToken> {
      // Only the first requests of a process wait, for the revocations made before it started.
      const starting = replay?.starting;
      if (starting !== undefined) await starting;
      const now = clock();
      const verified = verifyHere(token, now);
      if (verifyOptions?.checkSession !== true) return verified;
      return checkStoredSession(verified, now, (id) => call(() => store.find(id, now)));
    },

    async revoke(refreshToken) {
      const presented = parseRefreshToken(refreshToken);
      if (presented === undefined) return;
      const now = clock();
      const result = await call(() => store.revoke(presented.sessionId, now, hashRefreshSecret(presented.secret)));
      revokedOne(result, 'token', now);
    },

    async revokeSession(sessionId) {
      if (typeof sessionId !== 'string' || sessionId === '') return false;
      const now = clock();
      return revokedOne(await call(() => store.revoke(sessionId, now)), 'session', now);
    },

    async revokeSubject(subject) {
      const checked = checkSubject(subject);
      const now = clock();
      const ids = await call(() => store.revokeSubject(checked, now));
      revoked(ids.map((id) => ({ id, subject: checked })), 'subject', now, checked);
      return ids.length;
    },

    async countActiveSessions(subject) {
      const checked = subject === undefined ? undefined : checkSubject(subject);
      const now = clock();
      return call(() => store.count(now, checked));
    },

    async listSessions(subject) {
      const checked = checkSubject(subject);
      const now = clock();
      const sessions = await call(() => store.list(checked, now));
      return sessions.map(toSessionInfo);
    },

    jwks() {
      return structuredClone({ keys: [...keys.jwks.keys] });
    },

    close() {
      unsubscribe();
      replay?.close();
    },
  };
  // The adapters' path: no promise when neither a store read nor the start-up replay is needed.
  return withVerifyNow(auth, (token, checkSession) =>
    checkSession || replay?.starting !== undefined ? undefined : verifyHere(token, clock()),
  );
}

function checkSubject(subject: unknown): string {
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 1024) {
    throw new ConfigurationError('subject', 'must be a non-empty string of at most 1024 characters');
  }
  return subject;
}

function normalizeScope(scope: unknown): string | undefined {
  if (scope === undefined) return undefined;
  const list = typeof scope === 'string' ? scope.split(' ') : scope;
  // RFC 6749 section 3.3: scope tokens are printable ASCII without space, quote or backslash.
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]*$/.test(item))) {
    throw new ConfigurationError('scope', 'must be a space-delimited string or a list of RFC 6749 scope tokens');
  }
  const tokens = [...new Set(list.filter((item: string) => item !== ''))];
  return tokens.length === 0 ? undefined : tokens.join(' ');
}

function toSessionInfo(session: SessionRecord): SessionInfo {
  const { id, subject, createdAt, refreshedAt, expiresAt, scope } = session;
  return { id, subject, createdAt, refreshedAt, expiresAt, ...(scope === undefined ? {} : { scope }) };
}

