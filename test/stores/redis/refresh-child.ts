// A second process of the same application: createAuth on a RedisStore with the shared secret and a
// fixed clock. On a message { refreshToken, count } it fires that many simultaneous refreshes and
// answers with each outcome. Arguments: <redis port> <prefix> <clock seconds>.
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { createAuth } from '../../../src/index.js';
import { RedisStore } from '../../../src/stores/redis/index.js';
import { TEST_SECRET } from '../../support/test-clock.js';

export interface RefreshRequest {
  readonly refreshToken: string;
  readonly count: number;
}

export type RefreshOutcome = { readonly ok: true; readonly refreshToken: string } | { readonly ok: false; readonly code: string; readonly reason: string };

const [port = '', prefix = '', now = ''] = process.argv.slice(2);
const client = new Redis({ host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: 1, enableOfflineQueue: false });
const store = new RedisStore({ client, prefix });
const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: TEST_SECRET }, store, clock: () => Number(now) });

await once(client, 'ready');
process.send?.('ready');
process.once('message', async ({ refreshToken, count }: RefreshRequest) => {
  const results = await Promise.allSettled(Array.from({ length: count }, () => auth.refresh(refreshToken)));
  const outcomes = results.map((result): RefreshOutcome => {
    if (result.status === 'fulfilled') return { ok: true, refreshToken: result.value.refreshToken };
    const error = result.reason as { code?: string; reason?: string };
    return { ok: false, code: String(error.code), reason: String(error.reason) };
  });
  process.send?.(outcomes, () => {
    auth.close();
    void store.close();
    client.disconnect();
    process.disconnect();
  });
});
