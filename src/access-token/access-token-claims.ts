/** The registered claims tokenlease sets; custom claims may not override them. */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid', 'scope', 'client_id', 'typ', 'cnf',
]);

/** What a verified access token says about its request. */
export interface VerifiedToken {
  /** The `sub` claim: who the request comes from. */
  readonly subject: string;
  /** The `sid` claim: the session the token belongs to. */
  readonly sessionId: string;
  /** The space-delimited `scope` claim, if any. */
  readonly scope: string | undefined;
  /** Every claim of the token, registered and custom. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The `exp` claim, epoch seconds. */
  readonly expiresAt: number;
  /** The `iat` claim, epoch seconds. */
  readonly issuedAt: number;
}

/** Options of {@link TokenVerifier.verify}. */
export interface VerifyOptions {
  /**
   * Also refuse a token whose session is revoked or expired in the store, at the
   * cost of a store read.
   * @default false
   */
  readonly checkSession?: boolean;
}

/** Anything that verifies access tokens: an `Auth` or a verify-only `createVerifier()`. */
export interface TokenVerifier {
  /** Verifies an access token; throws {@link InvalidTokenError} with a `reason` when it is refused. */
  verify(token: string, options?: VerifyOptions): Promise<VerifiedToken>;
  /** The realm for `WWW-Authenticate`: the issuer. */
  readonly realm: string;
}
