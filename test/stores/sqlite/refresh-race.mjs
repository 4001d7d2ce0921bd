// Child of sqlite-store.test.ts: opens the shared file, waits for "go" on stdin,
// fires `count` concurrent refreshes of one token and prints their results as JSON.
// Imports the compiled package: run `npm run build` first.
import { createAuth } from '../../../dist/src/index.js';
import { SqliteStore } from '../../../dist/src/stores/sqlite/index.js';

const { file, secret, issuer, audience, now, token, count } = JSON.parse(process.argv[2] ?? '{}');
const store = new SqliteStore({ path: file });
const auth = createAuth({ issuer, audience, keys: { secret }, store, clock: () => now });

process.stdin.once('data', async () => {
  process.stdin.destroy();
  const settled = await Promise.allSettled(Array.from({ length: count }, () => auth.refresh(token)));
  const results = settled.map((result) =>
    result.status === 'fulfilled'
      ? { refreshToken: result.value.refreshToken }
      : { code: result.reason?.code, reason: result.reason?.reason },
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
  store.close();
});
process.stdout.write('ready\n');
