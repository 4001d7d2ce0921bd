// Child of sqlite-store.test.ts: keeps several refresh chains rotating on the shared
// file and revokes some, printing each operation as a JSON line only after its call
// returned, until the test kills it with SIGKILL.
// Imports the compiled package: run `npm run build` first.
import { createAuth } from '../../../dist/src/index.js';
import { SqliteStore } from '../../../dist/src/stores/sqlite/index.js';

const { file, secret, issuer, audience, now, chains } = JSON.parse(process.argv[2] ?? '{}');
const store = new SqliteStore({ path: file });
const auth = createAuth({ issuer, audience, keys: { secret }, store, clock: () => now });
// Pipes are written synchronously on Linux: a printed line is out of the process before the next step.
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function runChain(chain) {
  let { refreshToken, sessionId } = await auth.issue({ subject: `user-${chain % 3}` });
  print({ chain, op: 'issued', token: refreshToken });
  for (let rotation = 1; ; rotation++) {
    if (chain % 3 === 0 && rotation === 10 + chain) {
      if (chain % 2 === 0) await auth.revoke(refreshToken);
      else await auth.revokeSession(sessionId);
      print({ chain, op: 'revoked' });
      return;
    }
    ({ refreshToken, sessionId } = await auth.refresh(refreshToken));
    print({ chain, op: 'rotated', token: refreshToken });
  }
}

await Promise.all(Array.from({ length: chains }, (_, chain) => runChain(chain)));
