import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressApp, koaApp, listen } from './support/apps.js';
import { FUZZ_ORIGIN, fuzzRequest, methodOf, realize, type FuzzRequest, type TokenPool } from './support/fuzz-requests.js';
import { createIssuer, type Issuer } from './support/issuer.js';
import { captureLogs } from './support/leaks.js';

// Random headers, cookies, bodies and mutations of real tokens against both adapters (Express 5 on
// HS256, Koa 3 on RS256), each with a body-mode router under /auth and a cookie-mode one under /web.
// TOKENLEASE_FUZZ_RUNS sets how many requests one run sends (10,000 by default, split between the two).
const RUNS = runsFrom(process.env['TOKENLEASE_FUZZ_RUNS']);
const CANARIES = 4;
const logs = captureLogs();

interface Target {
  readonly name: string;
  readonly issuer: Issuer;
  readonly url: string;
  readonly agent: Agent;
  readonly pool: TokenPool;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

const targets: Target[] = [];

beforeAll(async () => {
  for (const [name, kind, build] of [['Express 5', 'HS256', expressApp], ['Koa 3', 'RS256', koaApp]] as const) {
    const issuer = await createIssuer(kind);
    const served = await listen(build(issuer.auth, { webCookie: { allowedOrigins: [FUZZ_ORIGIN] } }));
    const sessions = await Promise.all(Array.from({ length: CANARIES }, () => issuer.auth.issue({ subject: 'alice', scope: 'read' })));
    const publicKeyText = issuer.publicKey?.export({ type: 'spki', format: 'pem' }).toString() ?? JSON.stringify(issuer.auth.jwks());
    const pool = { access: sessions.map((tokens) => tokens.accessToken), refresh: sessions.map((tokens) => tokens.refreshToken), publicKeyText };
    targets.push({ name, issuer, url: served.url, agent: new Agent({ keepAlive: true, maxSockets: 1 }), pool, close: served.close });
  }
});

afterAll(async () => {
  for (const target of targets.splice(0)) {
    target.agent.destroy();
    await target.close();
  }
});

describe('fuzz family: both adapters under random requests', () => {
  it(`never answers 5xx, crashes, accepts a forged token or rotates a session (${RUNS} requests)`, { timeout: 120_000 + RUNS * 10 }, async () => {
    const statuses = new Map<string, number>();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (generated) => {
        const target = targets[generated.target] as Target;
        const built = build(generated, target.pool);
        const answer = await send(target, built);
        const error = parsed(answer.text)?.['error'];
        const key = `${target.name} ${answer.status}${typeof error === 'string' ? ` ${error}` : ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        checkAnswer(target, built, answer);
      }),
      { numRuns: RUNS, ...(process.env['TOKENLEASE_FUZZ_SEED'] ? { seed: Number(process.env['TOKENLEASE_FUZZ_SEED']) } : {}) },
    );
    const elapsed = performance.now() - started;
    process.stdout.write(`fuzz: ${RUNS} requests in ${Math.round(elapsed)} ms; ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);

    for (const target of targets) {
      for (const token of target.pool.access) await expect(target.issuer.auth.verify(token)).resolves.toMatchObject({ subject: 'alice' });
      // Every canary session survived unrotated and unrevoked: its very first refresh token still works.
      for (const token of target.pool.refresh) await expect(target.issuer.auth.refresh(token)).resolves.toMatchObject({ tokenType: 'Bearer' });
      expect((await send(target, { method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${target.pool.access[0]}` }, body: undefined, bearer: [] })).status).toBe(200);
      expect(target.issuer.events.filter((event) => event.type === 'session.revoked' || event.type === 'session.reuse_detected')).toEqual([]);
    }
    // The apps log every error that reaches them: there was none.
    expect(logs).toEqual([]);
  });
});

/** A generated request made concrete with one app's real tokens. */
interface BuiltRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer | undefined;
  /** The bearer values sent, one per Authorization line: [scheme, token]. */
  readonly bearer: readonly (readonly [string, string])[];
}

function build(generated: FuzzRequest, pool: TokenPool): BuiltRequest {
  const text = (value: Parameters<typeof realize>[0]) => realize(value, pool).text;
  const query = generated.query === undefined ? '' : `?${new URLSearchParams({ [generated.query.name]: text(generated.query.value) })}`;
  const bearer = generated.authorization.map(({ scheme, value }) => [scheme, text(value)] as const).filter(([scheme, token]) => sendable(`${scheme}${token}`));
  const headers: Record<string, string | string[]> = {};
  if (bearer.length > 0) headers['authorization'] = bearer.map(([scheme, token]) => `${scheme}${token}`);
  if (generated.cookie.length > 0) headers['cookie'] = generated.cookie.map(({ name, value }) => `${name}=${text(value)}`).join('; ');
  if (generated.origin !== undefined) headers['origin'] = generated.origin;
  const natural = { form: 'application/x-www-form-urlencoded', json: 'application/json', raw: undefined }[generated.body?.format ?? 'raw'];
  const contentType = generated.contentType ?? natural;
  if (contentType !== undefined) headers['content-type'] = contentType;
  let body: Buffer | undefined;
  if (generated.body?.format === 'raw') body = Buffer.from(generated.body.bytes);
  else if (generated.body !== undefined) {
    const fields = generated.body.fields.map(({ name, value }) => [name, text(value)] as const);
    body = Buffer.from(generated.body.format === 'form' ? new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString() : JSON.stringify(Object.fromEntries(fields)));
  }
  return { method: methodOf(generated), path: `${generated.path}${query}`, headers: clean(headers), body, bearer };
}

/** What Node's client lets a header value carry (it refuses to send anything else). */
function sendable(value: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value);
}

/** Header values Node's client would refuse are dropped from the request. */
function clean(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => {
      const values = (Array.isArray(value) ? value : [String(value)]).filter(sendable);
      return values.length === 0 ? [] : [[name, values.length === 1 ? values[0] : values]];
    }),
  ) as Record<string, string | string[]>;
}

function send(target: Target, built: BuiltRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...built.headers, ...(built.body === undefined ? {} : { 'content-length': built.body.length }) };
    const sent = httpRequest(`${target.url}${built.path}`, { method: built.method, headers, agent: target.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(built.body);
  });
}

/** The properties of one answer. */
function checkAnswer(target: Target, built: BuiltRequest, answer: Answer): void {
  const where = `${target.name} ${built.method} ${built.path}`;
  if (answer.status >= 500) throw new Error(`${where}: ${answer.status} ${answer.text}`);
  const pathname = built.path.split('?')[0] ?? '';
  const body = parsed(answer.text);
  // Tokens from anywhere but a login: a refresh succeeded, and the fuzzer only ever sends mutated refresh tokens.
  if (answer.status === 200 && typeof body?.['access_token'] === 'string' && !/\/login\/?$/i.test(pathname)) {
    throw new Error(`${where}: a mutated refresh token rotated a session`);
  }
  // A 200 anywhere but the key set, login and revocation (and the preflight) means authenticated;
  // a body that names a subject says so too (HEAD answers have no body, hence both).
  const open = built.method === 'OPTIONS' || /\/(jwks\.json|login|revoke)\/?$/i.test(pathname);
  const authenticated = (answer.status === 200 && !open) || typeof body?.['subject'] === 'string';
  if (authenticated) {
    // Only by exactly one Authorization line carrying a real token, unchanged (as the server reads
    // the line: without the optional whitespace around the value, RFC 9110 section 5.5).
    const [line] = built.bearer;
    const value = line === undefined ? '' : `${line[0]}${line[1]}`.replace(/^[ \t]+|[ \t]+$/g, '');
    const token = /^bearer +([^ ]+)$/i.exec(value)?.[1];
    const genuine = built.bearer.length === 1 && token !== undefined && target.pool.access.includes(token);
    if (!genuine) throw new Error(`${where}: accepted a forged token: ${JSON.stringify(built.headers)}`);
  }
  for (const token of target.pool.refresh) {
    if (answer.text.includes(token.split('.')[1] ?? token)) throw new Error(`${where}: a refresh token was echoed`);
  }
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function runsFrom(setting: string | undefined): number {
  const runs = Number(setting ?? 10_000);
  return Number.isSafeInteger(runs) && runs > 0 ? runs : 10_000;
}
