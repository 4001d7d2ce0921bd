import fc from 'fast-check';
import { headerText, mutate, mutation, type Mutation, type MutationContext } from './mutations.js';

export const FUZZ_ORIGIN = 'https://app.example.com';

/** A value the fuzzer puts in a header, a cookie, the query or the body. */
export type Value =
  | { readonly kind: 'access' | 'refresh'; readonly index: number; readonly change: Mutation }
  | { readonly kind: 'text'; readonly text: string };

/** One generated request, described independently of the tokens it will carry. */
export interface FuzzRequest {
  readonly target: number;
  /** `undefined`: the route's own method (GET for the API and the key set, POST for the endpoints). */
  readonly method: string | undefined;
  readonly path: string;
  readonly query: { readonly name: string; readonly value: Value } | undefined;
  readonly authorization: readonly { readonly scheme: string; readonly value: Value }[];
  readonly cookie: readonly { readonly name: string; readonly value: Value }[];
  readonly origin: string | undefined;
  /** `undefined`: the one of the body's format. */
  readonly contentType: string | undefined;
  readonly body: { readonly format: 'form' | 'json'; readonly fields: readonly { readonly name: string; readonly value: Value }[] } | { readonly format: 'raw'; readonly bytes: Uint8Array } | undefined;
}

/** `undefined` five times in six. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

const mutated = (kind: 'access' | 'refresh') => fc.record({ kind: fc.constant(kind), index: fc.nat(), change: mutation });
const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(mutated('access'), mutated('refresh')) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text'), text: headerText(40) }) },
) as fc.Arbitrary<Value>;
const text = (...texts: string[]) => fc.constantFrom(...texts.map((entry): Value => ({ kind: 'text', text: entry })));
const field = (name: string, arbitrary: fc.Arbitrary<Value>) => arbitrary.map((chosen) => ({ name, value: chosen }));

const format = (fields: fc.Arbitrary<readonly { name: string; value: Value }[]>) =>
  fc.record({ format: fc.constantFrom('form', 'json'), fields, extra: fc.array(fc.record({ name: fc.constantFrom('refresh_token', 'grant_type', 'token', 'client_id'), value }), { maxLength: 1 }) })
    .map(({ format: chosen, fields: main, extra }) => ({ format: chosen, fields: [...main, ...(extra.length > 0 && extra[0]?.name !== 'client_id' ? extra : [])] }));
const fitting = {
  token: fc.tuple(field('grant_type', fc.oneof({ weight: 5, arbitrary: text('refresh_token') }, { weight: 1, arbitrary: value })), field('refresh_token', fc.oneof({ weight: 3, arbitrary: mutated('refresh') }, { weight: 1, arbitrary: value }))),
  revoke: fc.tuple(field('token', fc.oneof({ weight: 3, arbitrary: mutated('refresh') }, { weight: 1, arbitrary: value })), field('token_type_hint', text('refresh_token', 'access_token', 'x'))),
  logout: fc.tuple(field('refresh_token', fc.oneof({ weight: 3, arbitrary: mutated('refresh') }, { weight: 1, arbitrary: value }))),
  login: fc.tuple(field('username', text('alice', 'bob')), field('password', fc.oneof(text('alice-password'), value))),
  other: fc.array(fc.record({ name: fc.constantFrom('grant_type', 'refresh_token', 'token', 'token_type_hint', '__proto__', 'refresh_token[]', 'constructor'), value }), { maxLength: 4 }),
};

/** Mostly the body a client would send to the path (with a stray parameter now and then); else none, bytes or anything. */
function bodyFor(path: string): fc.Arbitrary<FuzzRequest['body']> {
  const route = /\/(token|revoke|logout|login)$/.exec(path)?.[1] as keyof typeof fitting | undefined;
  return fc.oneof(
    { weight: 6, arbitrary: format(fitting[route ?? 'other']) },
    { weight: 1, arbitrary: format(fitting.other) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.record({ format: fc.constant('raw' as const), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  );
}

const PATHS = ['/api/me', '/api/admin', '/auth/token', '/auth/revoke', '/auth/logout', '/auth/login', '/auth/jwks.json', '/web/token', '/web/revoke', '/web/logout', '/web/login'];
const pathChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzAPI0123456789-._~%/!$&\'()*+,;=:@'.split(''));
const scheme = fc.oneof({ weight: 6, arbitrary: fc.constant('Bearer ') }, { weight: 1, arbitrary: fc.constantFrom('bearer ', 'BEARER   ', 'Bearer', 'Basic ', '', 'Bearer\t', 'Bearer\u00a0') });

/** The requests: mostly well-formed ones at the protected routes and the token endpoints, with anything in every part. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof({ weight: 9, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.string({ unit: pathChar, maxLength: 30 }).map((tail) => `/${tail}`) })
  .chain((path) =>
    fc.record({
      target: fc.nat(1),
      method: rarely(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
      path: fc.constant(path),
      query: rarely(fc.record({ name: fc.constantFrom('access_token', 'refresh_token', 'token', 'grant_type', 'x'), value })),
      authorization: fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 6, arbitrary: fc.tuple(fc.record({ scheme, value: fc.oneof({ weight: 3, arbitrary: mutated('access') }, { weight: 1, arbitrary: value }) })) },
        { weight: 1, arbitrary: fc.array(fc.record({ scheme, value }), { minLength: 2, maxLength: 2 }) },
      ),
      cookie: fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 2, arbitrary: fc.tuple(fc.record({ name: fc.constant('tokenlease_refresh'), value: mutated('refresh') })) },
        { weight: 1, arbitrary: fc.array(fc.record({ name: fc.constantFrom('tokenlease_refresh', 'tokenlease_refresh ', 'other', 'TOKENLEASE_REFRESH'), value }), { maxLength: 3 }) },
      ),
      origin: fc.oneof({ weight: 5, arbitrary: fc.constant(FUZZ_ORIGIN) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('null', 'https://evil.example', `${FUZZ_ORIGIN}.evil.example`), headerText(30)) }),
      contentType: rarely(fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=utf-16', 'multipart/form-data', '')),
      body: bodyFor(path),
    }),
  ) as fc.Arbitrary<FuzzRequest>;

/** The method a request uses: the generated one, or the one its route expects. */
export function methodOf(generated: FuzzRequest): string {
  return generated.method ?? (/^\/(api|auth\/jwks|web\/jwks)/.test(generated.path) ? 'GET' : 'POST');
}

/** The real tokens of one app, and what an attacker knows besides. */
export interface TokenPool {
  readonly access: readonly string[];
  readonly refresh: readonly string[];
  readonly publicKeyText: string;
}

/** The text of a value, with the real token it was made from (`undefined` for plain text). */
export function realize(described: Value, pool: TokenPool): { text: string; source: 'access' | 'refresh' | 'text' } {
  if (described.kind === 'text') return { text: described.text, source: 'text' };
  const tokens = described.kind === 'access' ? pool.access : pool.refresh;
  const real = tokens[described.index % tokens.length] ?? '';
  const context: MutationContext = { others: [...pool.access, ...pool.refresh], publicKeyText: pool.publicKeyText };
  let text = mutate(real, described.change, context);
  // A refresh token is never sent as it is: the canary sessions must come out of the run unrotated.
  if (pool.refresh.includes(text)) text = `${text}x`;
  return { text, source: described.kind };
}
