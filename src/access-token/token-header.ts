import { decodeBase64url } from '../lib/base64url.js';
import { parseJsonObject } from './compact-jws.js';

/** A JOSE header that passed the checks of DESIGN section 4. */
export interface TokenHeader {
  /** The decoded header, frozen: one object serves every token that carries the same segment. */
  readonly header: Readonly<Record<string, unknown>>;
  readonly kid: string;
  readonly alg: string;
}

/** Header members that carry or point at keys: never used, and refused (RFC 8725 section 3.10). */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);

/**
 * Decodes and checks a header segment: the header, or the refusal reason
 * (`malformed` when it is not the canonical base64url of a JSON object).
 */
export function checkTokenHeader(segment: string): TokenHeader | string {
  const bytes = decodeBase64url(segment);
  const header = bytes === undefined ? undefined : parseJsonObject(bytes);
  if (header === undefined) return 'malformed';
  if (typeof header['alg'] !== 'string' || typeof header['kid'] !== 'string') return 'malformed_header';
  // RFC 9068 section 4: the media type may be written with or without "application/", in any case.
  if (typeof header['typ'] !== 'string' || !ACCESS_TOKEN_TYPES.has(header['typ'].toLowerCase())) return 'wrong_type';
  if ('crit' in header || 'b64' in header || 'enc' in header || 'zip' in header) return 'unsupported_header';
  if (KEY_HEADERS.some((name) => name in header)) return 'key_in_header';
  return { header: Object.freeze(header), kid: header['kid'], alg: header['alg'] };
}

/**
 * The verdicts of {@link checkTokenHeader} on the header segments seen last,
 * by their exact text: an issuer signs every token with one of a few headers,
 * so a new token costs no base64url, JSON or member checks for its header.
 * The verdict is a function of the text alone, so the cache cannot change an
 * answer; the signature is still checked over the whole token. Bounded: when
 * full it starts over, and a segment longer than any real header is not kept.
 */
export class TokenHeaderCache {
  #verdicts = new Map<string, TokenHeader | string>();
  readonly #maxEntries: number;
  readonly #maxSegmentLength: number;

  constructor(maxEntries: number, maxSegmentLength: number) {
    this.#maxEntries = maxEntries;
    this.#maxSegmentLength = maxSegmentLength;
  }

  /** The verdict on a header segment, remembered when it was seen before. */
  check(segment: string): TokenHeader | string {
    let verdict = this.#verdicts.get(segment);
    if (verdict !== undefined) return verdict;
    verdict = checkTokenHeader(segment);
    if (segment.length <= this.#maxSegmentLength) {
      if (this.#verdicts.size >= this.#maxEntries) this.#verdicts = new Map();
      this.#verdicts.set(segment, verdict);
    }
    return verdict;
  }

  /** The number of verdicts held. */
  get size(): number {
    return this.#verdicts.size;
  }
}
