// The refresh load both store benchmarks drive: chains of refreshes, several in flight as a server has.
import { performance } from 'node:perf_hooks';

/**
 * Logs in `sessions` sessions, warms up, then runs `refreshes` refreshes in
 * `concurrency` chains (each chain owns the sessions i ≡ chain mod concurrency,
 * so no two refreshes of one token overlap). Returns refreshes per second.
 */
export async function refreshesPerSecond(auth, { refreshes = 5000, sessions = 100, concurrency = 10, between } = {}) {
  const tokens = [];
  for (let i = 0; i < sessions; i++) tokens.push((await auth.issue({ subject: `user-${i % 10}` })).refreshToken);
  const refresh = async (i) => {
    tokens[i % sessions] = (await auth.refresh(tokens[i % sessions])).refreshToken;
  };
  for (let i = 0; i < 500; i++) await refresh(i);
  await between?.before();
  const started = performance.now();
  const chain = async (first) => {
    for (let i = first; i < refreshes; i += concurrency) await refresh(i);
  };
  await Promise.all(Array.from({ length: concurrency }, (_, first) => chain(first)));
  const opsPerSec = refreshes / ((performance.now() - started) / 1000);
  await between?.after();
  return opsPerSec;
}
