/** The attributes of an RFC 6750 section 3 challenge besides the realm. */
export interface ChallengeError {
  readonly error: string;
  readonly description: string;
  /** The scopes the resource requires, for `insufficient_scope`. */
  readonly scope?: readonly string[];
}

/**
 * The `WWW-Authenticate` value of RFC 6750 section 3: `Bearer realm="..."`,
 * then `error`, `error_description` and `scope` when there is an error (none
 * when the request carried no credentials).
 *
 * @example
 * ```ts
 * bearerChallenge('https://api.example.com', { error: 'invalid_token', description: 'The access token expired' })
 * // Bearer realm="https://api.example.com", error="invalid_token", error_description="The access token expired"
 * ```
 */
export function bearerChallenge(realm: string, error?: ChallengeError): string {
  const attributes = [`realm=${quoted(realm)}`];
  if (error !== undefined) {
    attributes.push(`error=${quoted(error.error)}`, `error_description=${quoted(error.description)}`);
    if (error.scope !== undefined && error.scope.length > 0) attributes.push(`scope=${quoted(error.scope.join(' '))}`);
  }
  return `Bearer ${attributes.join(', ')}`;
}

/**
 * An RFC 9110 quoted-string. RFC 6750 section 3 restricts `error_description`
 * and `scope` to printable ASCII without `"` and `\`: our own texts satisfy it,
 * and anything else (a realm taken from the issuer) is escaped; characters a
 * header cannot carry are dropped.
 */
function quoted(text: string): string {
  let result = '';
  for (const character of text) {
    const code = character.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) continue;
    result += character === '"' || character === '\\' ? `\\${character}` : character;
  }
  return `"${result}"`;
}
