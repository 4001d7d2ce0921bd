// SqliteStore figure: sequential refreshes per second on a temporary file (WAL, synchronous=NORMAL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createAuth } from '../dist/src/index.js';
import { SqliteStore } from '../dist/src/stores/sqlite/index.js';
import { rate } from './measure.js';

/** Refreshes per second through createAuth and a SqliteStore, `refreshes` of them one after another over 100 sessions. */
export async function benchSqliteRefresh({ refreshes = 5000, sessions = 100 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlease-bench-'));
  const store = new SqliteStore({ path: join(dir, 'sessions.db') });
  try {
    const auth = createAuth({ issuer: 'https://issuer.bench', audience: 'api', keys: { secret: 'bench-secret-bench-secret-bench-secret!' }, store });
    const tokens = [];
    for (let i = 0; i < sessions; i++) tokens.push((await auth.issue({ subject: `user-${i % 10}` })).refreshToken);
    const refresh = async (i) => {
      tokens[i % sessions] = (await auth.refresh(tokens[i % sessions])).refreshToken;
    };
    for (let i = 0; i < 500; i++) await refresh(i);
    const started = performance.now();
    for (let i = 0; i < refreshes; i++) await refresh(i);
    const opsPerSec = refreshes / ((performance.now() - started) / 1000);
    return { name: 'refresh (SqliteStore)', opsPerSec };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { name, opsPerSec } = await benchSqliteRefresh();
  console.log(`${name}: ${rate(opsPerSec)} ops/s`);
}
