import { beforeAll, describe, expect, it } from 'vitest';
import { runSoak, type SoakReport } from '../../bench/soak/soak.js';

// The 10-second version of `npm run soak`: the Express example in child processes (built from
// dist/ by pretest), 50 clients logging in, calling the API, refreshing (sometimes two at once),
// logging out and in again. With Redis, two app processes share the store and every client
// alternates between them, request by request.
describe.each([
  { store: 'sqlite', processes: 1 },
  { store: 'redis', processes: 2 },
] as const)('a 10-second soak against $store ($processes app process(es))', ({ store }) => {
  let report: SoakReport;

  beforeAll(async () => {
    report = await runSoak({ store, duration: 10, clients: 50 });
  }, 60_000);

  const failuresOf = (kind: string): string[] => report.failures.filter((failure) => failure.kind === kind).map((failure) => failure.detail);

  it('answers no 5xx, and every request gets an answer', () => {
    const broken = report.samples().filter((sample) => sample.status >= 500 || sample.status === 0);
    expect(broken).toEqual([]);
    expect(report.total.count).toBeGreaterThan(1_000);
  });

  it('logs out no client that did not ask: the last refresh token of each client still logged in works once more', () => {
    expect(failuresOf('session-lost')).toEqual([]);
    expect(failuresOf('access-refused')).toEqual([]);
    expect(report.final.loggedIn).toBeGreaterThan(0);
    expect(report.final.lostAtEnd).toBe(0);
  });

  it('counts as many live sessions (tokenlease sessions count) as clients logged in', () => {
    expect(report.final.activeSessions).toBe(report.final.loggedIn);
  });

  it('gives two tabs refreshing with one token at once the same new refresh token', () => {
    expect(report.concurrent.pairs).toBeGreaterThan(0);
    expect(report.concurrent.bothGranted).toBe(report.concurrent.pairs);
    expect(failuresOf('two-tabs-diverged')).toEqual([]);
  });

  it('refuses every logged-out session: its refresh token at the end, its access token within a second everywhere', () => {
    expect(report.final.revokedChecked).toBeGreaterThan(0);
    expect(report.final.revokedAccepted).toBe(0);
    expect(report.revocation.crossProcess).toBe(store === 'redis');
    expect(report.revocation.delays.length).toBeGreaterThan(0);
    expect(Math.max(...report.revocation.delays)).toBeLessThan(1_000);
    expect(failuresOf('revocation-not-applied')).toEqual([]);
  });

  it('meets every end condition of the soak driver', () => {
    expect(report.problems).toEqual([]);
  });
});
