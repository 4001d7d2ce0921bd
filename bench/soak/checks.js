// The end conditions of a soak, checked on its report: each violated one becomes a sentence.

/** The store's deadline (the core's default `storeTimeout`, 2 s): no answer may take longer during an outage. */
export const STORE_TIMEOUT_MS = 2_000;
/** Slack on that bound for a busy machine: timers and the event loop of a loaded process run late. */
export const BOUND_MARGIN_MS = 1_000;
/** After Redis is back, ioredis reconnects after its back-off (at most 2 s): 503s may last this long past the restart. */
const RECONNECT_MS = 3_000;
/** A revocation on one process must be refused by the others within this. */
export const REVOCATION_BOUND_MS = 1_000;

/** Returns the violated end conditions of a soak report; empty when all hold. */
export function checkSoak(report) {
  const { fault, final } = report;
  const all = report.samples();
  const problems = [];
  const outage = fault?.kind === 'redis-kill' ? { from: fault.killAt, to: fault.restartedAt + RECONNECT_MS } : undefined;
  const crashed = fault?.kind === 'app-kill' ? { from: fault.killAt, to: fault.restartedAt } : undefined;
  const during = (window, sample) => window !== undefined && sample.end >= window.from && sample.start <= window.to;

  note(problems, all.filter((s) => s.status >= 500 && !(s.status === 503 && during(outage, s))), 'answers 5xx outside a store outage');
  note(problems, all.filter((s) => s.status === 503 && !s.retryAfter), 'answers 503 without Retry-After');
  note(problems, all.filter((s) => s.error === 'hang'), 'requests without an answer for 10 s (hangs)');
  note(problems, all.filter((s) => s.status === 0 && s.error !== 'hang' && !during(crashed, s)), 'requests without an answer outside an app crash');
  if (outage !== undefined) {
    const inOutage = all.filter((s) => during(outage, s));
    note(problems, inOutage.filter((s) => s.ms > STORE_TIMEOUT_MS + BOUND_MARGIN_MS), `answers slower than ${STORE_TIMEOUT_MS} ms (+${BOUND_MARGIN_MS} ms margin) during the Redis outage`);
    note(problems, report.samples('me', outage.from, outage.to).filter((s) => s.status !== 200), 'API calls not answered 200 during the Redis outage');
    if (!inOutage.some((s) => s.status === 503)) problems.push('no request met the Redis outage: the fault was not exercised');
  }
  for (const [kind, failures] of groupBy(report.failures, (failure) => failure.kind)) {
    problems.push(`${failures.length} × ${kind}, first: client ${failures[0].client ?? '-'} at ${failures[0].at} ms: ${failures[0].detail}`);
  }
  if (final.activeSessions < final.loggedIn || final.activeSessions > final.loggedIn + final.uncertainLogins) {
    const uncertain = final.uncertainLogins > 0 ? ` (+ up to ${final.uncertainLogins} logins cut by the fault)` : '';
    problems.push(`countActiveSessions is ${final.activeSessions}, but ${final.loggedIn} clients are logged in${uncertain}`);
  }
  const slowRevocations = report.revocation.delays.filter((delay) => delay >= REVOCATION_BOUND_MS);
  if (slowRevocations.length > 0) problems.push(`${slowRevocations.length} revocations took ${REVOCATION_BOUND_MS} ms or more to reach the other process`);
  if (report.revocation.delays.length === 0) problems.push('no revocation was measured');
  return problems;
}

function note(problems, samples, what) {
  if (samples.length === 0) return;
  const statuses = [...groupBy(samples, (s) => (s.status === 0 ? s.error : s.status))].map(([key, list]) => `${key} × ${list.length}`);
  problems.push(`${samples.length} ${what}: ${statuses.join(', ')}; slowest ${Math.round(Math.max(...samples.map((s) => s.ms)))} ms`);
}

/** Map.groupBy, which Node 20 lacks. */
function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(item);
  }
  return groups;
}
