/** The help of `tokenlease sessions`. */
export const SESSIONS_HELP = `Usage:
  tokenlease sessions count  --store <store> [--subject <subject>]
  tokenlease sessions list   --store <store> --subject <subject>
  tokenlease sessions revoke --store <store> (--subject <subject> | --session <id>)

Reads and revokes the sessions of an application's store. Needs no signing key.
  count   Prints the number of live sessions: all of them, or those of --subject.
  list    Prints the live sessions of --subject as a JSON array, oldest first:
          id, subject, scope (when granted), createdAt, refreshedAt and expiresAt
          in epoch seconds, and createdAtIso, refreshedAtIso and expiresAtIso
          (ISO 8601, UTC).
  revoke  Revokes every live session of --subject, or the session --session,
          and prints how many were revoked (0 when none was live).

Stores:
  sqlite:<path>        The file of new SqliteStore({ path }). It must exist.
  redis://[user:password@]host[:port][/db], or rediss:// for TLS
                       The server of new RedisStore({ client }).

Options:
  --store <store>      Where the sessions are (required)
  --subject <subject>  The subject (user id) to count, list or revoke
  --session <id>       The session to revoke (revoke only)
  --prefix <prefix>    The RedisStore prefix (default tokenlease)
  -h, --help           Show this help

What a revocation reaches:
  Refresh tokens of a revoked session fail at once: the store refuses them.
  Access tokens already issued:
    Redis   running processes hear the revocation on the store's pub/sub
            channel and refuse those access tokens within about a second.
    SQLite  running processes cannot hear it: they accept those access tokens
            until they expire (accessTokenTtl), unless they verify with
            checkSession. For an immediate effect, revoke inside the
            application with auth.revokeSubject or auth.revokeSession.

Exit status: 0 on success, 1 when the store cannot be reached or fails,
2 for a bad command line.
`;
