/** What a login or a refresh returns: the RFC 6749 section 5.1 response, plus the session id. */
export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds the access token lives. */
  readonly expiresIn: number;
  readonly refreshToken: string;
  /** Seconds until the session expires unless refreshed. */
  readonly refreshExpiresIn: number;
  readonly sessionId: string;
  readonly scope?: string;
}

/** A live session, as `listSessions` shows it. */
export interface SessionInfo {
  readonly id: string;
  readonly subject: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly refreshedAt: number;
  readonly expiresAt: number;
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
