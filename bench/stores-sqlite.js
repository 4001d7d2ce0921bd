// SqliteStore figure: sequential refreshes per second on a temporary file (WAL, synchronous=NORMAL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAuth } from '../dist/src/index.js';
import { refreshesPerSecond } from './refresh-load.js';
import { SqliteStore } from '../dist/src/stores/sqlite/index.js';
import { rate } from './measure.js';

/** Refreshes per second through createAuth and a SqliteStore, `refreshes` of them one after another over 100 sessions. */
export async function benchSqliteRefresh({ refreshes = 5000, sessions = 100, concurrency = 10 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlease-bench-'));
  const store = new SqliteStore({ path: join(dir, 'sessions.db') });
  try {
    const auth = createAuth({ issuer: 'https://issuer.bench', audience: 'api', keys: { secret: 'bench-secret-bench-secret-bench-secret!' }, store });
    const opsPerSec = await refreshesPerSecond(auth, { refreshes, sessions, concurrency });
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
