import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { segment } from '../../support/forge.js';

/** How a real token is changed: a description, applied to whichever real token the request picks. */
export type Mutation =
  | { readonly op: 'same' }
  | { readonly op: 'replace' | 'insert'; readonly at: number; readonly char: string }
  | { readonly op: 'delete' | 'truncate' | 'flipCase'; readonly at: number }
  | { readonly op: 'append'; readonly text: string }
  | { readonly op: 'swapSegments'; readonly first: number; readonly second: number }
  | { readonly op: 'foreignSegment'; readonly part: number; readonly from: number }
  | { readonly op: 'header' | 'claims'; readonly patch: Readonly<Record<string, unknown>> }
  | { readonly op: 'resign'; readonly patch: Readonly<Record<string, unknown>>; readonly key: 'empty' | 'public' | 'guess' }
  | { readonly op: 'standardAlphabet' }
  | { readonly op: 'replaceAll'; readonly text: string };

/** What a mutation may draw on besides the token: the other real tokens, and the public key an attacker has. */
export interface MutationContext {
  readonly others: readonly string[];
  readonly publicKeyText: string;
}

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const tokenChar = fc.constantFrom(...TOKEN_CHARS, '.', '=', '+', '/', '~', '%', ' ', '"', ',', '\u00a0');

/** Printable header text (what Node lets a client send), with a few bytes beyond ASCII. */
export const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...Array.from({ length: 95 }, (_, index) => String.fromCharCode(0x20 + index)), '\t', '\u00a0', '\u00e9'), maxLength });

const headerPatch = fc.record(
  {
    alg: fc.constantFrom('none', 'None', 'HS256', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA', ''),
    kid: fc.constantFrom('__proto__', '../../dev/null', "' OR 1=1 --", 'other', 0, null),
    typ: fc.constantFrom('JWT', 'at+jwt', 'application/at+jwt', undefined),
    jku: fc.constant('http://127.0.0.1:9/jwks.json'),
    jwk: fc.constant({ kty: 'oct', k: 'AAAA' }),
    crit: fc.constant(['exp']),
    b64: fc.constant(false),
    enc: fc.constant('A256GCM'),
  },
  { requiredKeys: [] },
);

const claimsPatch = fc.record(
  {
    sub: fc.constantFrom('admin', 'bob', '', 42, null),
    exp: fc.constantFrom(2_000_000_000, 0, '2000000000', -1, 1e308),
    iat: fc.constantFrom(0, 1_800_000_000, 2_000_000_000),
    iss: fc.constantFrom('https://issuer.test/', 'https://evil.example', ['https://issuer.test']),
    aud: fc.constantFrom('API', ['api', 'other'], ['other'], 'api '),
    scope: fc.constantFrom('read admin', 'admin', ['admin']),
    sid: fc.constantFrom('other-session', '', 7),
  },
  { requiredKeys: [] },
);

/** Every way the fuzzer changes a real token. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ op: 'same' } as const) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('replace', 'insert'), at: fc.nat(), char: tokenChar }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('delete', 'truncate', 'flipCase'), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('append'), text: fc.string({ unit: tokenChar, minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swapSegments'), first: fc.nat(4), second: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('foreignSegment'), part: fc.nat(2), from: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('header', 'claims'), patch: fc.oneof(headerPatch, claimsPatch) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('resign'), patch: fc.oneof(headerPatch, claimsPatch), key: fc.constantFrom('empty', 'public', 'guess') }) },
  { weight: 1, arbitrary: fc.constant({ op: 'standardAlphabet' } as const) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replaceAll'), text: fc.string({ unit: tokenChar, maxLength: 120 }) }) },
) as fc.Arbitrary<Mutation>;

/** Applies a mutation to a real token. */
export function mutate(token: string, change: Mutation, context: MutationContext): string {
  const at = 'at' in change ? change.at % Math.max(1, token.length) : 0;
  const parts = token.split('.');
  switch (change.op) {
    case 'same':
      return token;
    case 'replace':
      return `${token.slice(0, at)}${change.char}${token.slice(at + 1)}`;
    case 'insert':
      return `${token.slice(0, at)}${change.char}${token.slice(at)}`;
    case 'delete':
      return `${token.slice(0, at)}${token.slice(at + 1)}`;
    case 'truncate':
      return token.slice(0, at);
    case 'flipCase': {
      const char = token.charAt(at);
      const flipped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
      return `${token.slice(0, at)}${flipped}${token.slice(at + 1)}`;
    }
    case 'append':
      return `${token}${change.text}`;
    case 'swapSegments': {
      const swapped = [...parts];
      const first = change.first % parts.length;
      const second = change.second % parts.length;
      [swapped[first], swapped[second]] = [parts[second] ?? '', parts[first] ?? ''];
      return swapped.join('.');
    }
    case 'foreignSegment': {
      const donor = context.others[change.from % Math.max(1, context.others.length)] ?? token;
      const part = change.part % parts.length;
      const replaced = [...parts];
      replaced[part] = donor.split('.')[part] ?? '';
      return replaced.join('.');
    }
    case 'header':
    case 'claims':
      return parts.length === 3 ? rewrite(parts, change.op, change.patch) : `${token}.${segment(change.patch)}`;
    case 'resign':
      return resign(parts, change.patch, change.key, context);
    case 'standardAlphabet':
      return token.replace(/-/g, '+').replace(/_/g, '/');
    case 'replaceAll':
      return change.text;
  }
}

function decoded(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(text ?? '', 'base64url').toString());
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function rewrite(parts: readonly string[], where: 'header' | 'claims', patch: Readonly<Record<string, unknown>>): string {
  const index = where === 'header' ? 0 : 1;
  const replaced = [...parts];
  replaced[index] = segment({ ...decoded(parts[index]), ...patch });
  return replaced.join('.');
}

/** The attacker's own HMAC over a patched token, keyed by nothing, the public key, or a guess. */
function resign(parts: readonly string[], patch: Readonly<Record<string, unknown>>, key: 'empty' | 'public' | 'guess', context: MutationContext): string {
  const header = segment({ ...decoded(parts[0]), alg: 'HS256', ...('alg' in patch ? { alg: patch['alg'] } : {}) });
  const payload = segment({ ...decoded(parts[1]), ...patch });
  const secret = key === 'empty' ? '' : key === 'public' ? context.publicKeyText : 'secret';
  const input = `${header}.${payload}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
