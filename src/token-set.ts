/** What a login or a refresh returns: the RFC 6749 section 5.1 response, plus the session id. */
export interface TokenSet {
  /** The signed JWT for `Authorization: Bearer`. */
  readonly accessToken: string;
  /** Always `Bearer` (RFC 6750). */
  readonly tokenType: 'Bearer';
  /** Seconds the access token lives. */
  readonly expiresIn: number;
  /** The opaque refresh token: keep it secret, trade it in with `refresh`. */
  readonly refreshToken: string;
  /** Seconds until the session expires unless refreshed. */
  readonly refreshExpiresIn: number;
  /** The session the pair belongs to (the `sid` claim). */
  readonly sessionId: string;
  /** The granted scope, space-delimited, when there is one. */
  readonly scope?: string;
}

/** A live session, as `listSessions` shows it. */
export interface SessionInfo {
  /** The session id (the `sid` claim of its access tokens). */
  readonly id: string;
  /** Who logged in. */
  readonly subject: string;
  /** The login time, epoch seconds. */
  readonly createdAt: number;
  /** The last refresh (the login time until then), epoch seconds. */
  readonly refreshedAt: number;
  /** When the session expires unless refreshed, epoch seconds. */
  readonly expiresAt: number;
  /** The scope granted at login. */
  readonly scope?: string;
}

/** What `issue` makes a session for: the subject, and what its access tokens carry. */
export interface IssueInput {
  /** The `sub` of the tokens: a stable user id. */
  readonly subject: string;
  /** Custom claims of every access token of the session; registered claims are refused. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** The granted scope: a space-delimited string or a list. */
  readonly scope?: string | readonly string[];
}
