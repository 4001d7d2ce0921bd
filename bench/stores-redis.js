// RedisStore figures: sequential refreshes per second, and round trips per refresh from INFO commandstats.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createAuth } from '../dist/src/index.js';
import { refreshesPerSecond } from './refresh-load.js';
import { RedisStore } from '../dist/src/stores/redis/index.js';
import { ROTATE_SESSION } from '../dist/src/stores/redis/lua/rotate-session.js';
import { rate } from './measure.js';

/**
 * Refreshes per second through createAuth and a RedisStore, `refreshes` of them one after another
 * over 100 sessions, against the redis-server on `port` (or one started here). commandstats also
 * counts the commands a script runs inside Redis, so those are left out: what remains are the
 * requests clients sent.
 */
export async function benchRedisRefresh({ port, refreshes = 5000, sessions = 100, concurrency = 10 } = {}) {
  const server = port === undefined ? await startRedisServer() : undefined;
  const client = new Redis({ host: '127.0.0.1', port: port ?? server.port, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const store = new RedisStore({ client, prefix: `bench-${process.pid}-${Date.now()}` });
  const auth = createAuth({ issuer: 'https://issuer.bench', audience: 'api', keys: { secret: 'bench-secret-bench-secret-bench-secret!' }, store });
  try {
    await once(client, 'ready');
    let before;
    let after;
    const between = { before: async () => (before = await commandCalls(client)), after: async () => (after = await commandCalls(client)) };
    const opsPerSec = await refreshesPerSecond(auth, { refreshes, sessions, concurrency, between });
    return { name: 'refresh (RedisStore)', opsPerSec, roundTripsPerRefresh: requestsBetween(before, after) / refreshes };
  } finally {
    auth.close();
    await store.close();
    client.disconnect();
    await server?.stop();
  }
}

/** Calls per command since the server started, from INFO commandstats. */
async function commandCalls(client) {
  const stats = await client.info('commandstats');
  return new Map([...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, calls]) => [name, Number(calls)]));
}

/** Client requests between two samples: every command but those the refresh script calls inside Redis, and INFO. */
function requestsBetween(before, after) {
  const inScript = new Set([...ROTATE_SESSION.matchAll(/redis\.call\('([A-Z]+)'/g)].map(([, name]) => name.toLowerCase()));
  let requests = 0;
  for (const [name, calls] of after) if (!inScript.has(name) && name !== 'info') requests += calls - (before.get(name) ?? 0);
  return requests;
}

async function startRedisServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlease-bench-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes('Ready to accept connections')) break;
  }
  child.stdout.resume();
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { name, opsPerSec, roundTripsPerRefresh } = await benchRedisRefresh();
  console.log(`${name}: ${rate(opsPerSec)} ops/s, ${roundTripsPerRefresh.toFixed(2)} round trips per refresh`);
}
