// Core figures: issue, refresh and verify per second against raw jose, and heap per live session.
import { jwtVerify, SignJWT } from 'jose';
import { createAuth, MemoryStore } from '../dist/src/index.js';
import { compare, heapUsed, rate, table } from './measure.js';

const SECRET = 'bench-secret-bench-secret-bench-secret!';
const ISSUER = 'https://issuer.bench';
const AUDIENCE = 'api';

export async function benchCore({ sessions = Number(process.env.BENCH_SESSIONS ?? 1_000_000) } = {}) {
  const auth = createAuth({ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } });
  const joseKey = new TextEncoder().encode(SECRET);
  const sample = await auth.issue({ subject: 'user-1', scope: 'read' });
  const claims = { sub: 'user-1', sid: sample.sessionId, scope: 'read', jti: 'x'.repeat(22) };
  const rawSign = () =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k' }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(joseKey);
  const rawToken = await rawSign();
  let refreshToken = sample.refreshToken;

  const signing = await compare([
    { name: 'raw jose SignJWT', run: rawSign },
    { name: 'auth.issue (MemoryStore)', run: (i) => auth.issue({ subject: `user-${i % 1000}`, scope: 'read' }) },
    { name: 'auth.refresh (MemoryStore)', run: async () => { refreshToken = (await auth.refresh(refreshToken)).refreshToken; } },
  ]);
  const verifying = await compare([
    { name: 'raw jose jwtVerify', run: () => jwtVerify(rawToken, joseKey, { issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' }) },
    { name: 'auth.verify', run: () => auth.verify(sample.accessToken) },
  ]);
  const [sign, issue, refresh] = signing;
  const [rawVerify, verify] = verifying;
  const rows = [
    ...[sign, issue, refresh].map((row) => [row.name, rate(row.median), `${rate(row.min)}-${rate(row.max)}`, ratio(row, sign)]),
    ...[rawVerify, verify].map((row) => [row.name, rate(row.median), `${rate(row.min)}-${rate(row.max)}`, ratio(row, rawVerify)]),
  ];
  const heap = heapPerSession(sessions);
  const markdown = [
    table('Core operations (HS256, one process, sequential)', ['operation', 'ops/s (median)', 'min-max', 'vs raw jose'], rows),
    table('MemoryStore heap per live session', ['sessions', 'bytes per session', 'target'], [[sessions.toLocaleString('en-US'), heap.toFixed(0), '<= 1024']]),
  ].join('\n');
  return {
    markdown,
    figures: { issueRatio: issue.median / sign.median, refreshRatio: refresh.median / sign.median, verifyRatio: verify.median / rawVerify.median, heapPerSession: heap },
  };
}

function ratio(row, reference) {
  return `${(row.median / reference.median).toFixed(2)}x`;
}

/** Keeps measured structures reachable until their heap has been read. */
const retained = [];

/** Heap per live session of a MemoryStore filled directly (no signing), the way a login stores one. */
function heapPerSession(count) {
  const store = new MemoryStore();
  const before = heapUsed();
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    void store.create(
      { subject: `user-${i}`, createdAt: now, refreshedAt: now, expiresAt: now + 86_400, maxExpiresAt: now + 30 * 86_400, tokenHash: `h${i}`.padEnd(43, 'x'), scope: 'read' },
      now,
    );
  }
  const after = heapUsed();
  retained.push(store);
  return (after - before) / count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { markdown } = await benchCore();
  void markdown;
}
