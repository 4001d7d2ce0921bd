// Starts, kills and restarts the app processes of a soak (bench/soak/app-server.js).
import { fork } from 'node:child_process';
import { cpuSeconds, stopChild } from '../child-process.js';

const SERVER = new URL('./app-server.js', import.meta.url);

/**
 * Starts an app process on a free port. Resolves once it listens, with its
 * `port`, `cpuSeconds()` (CPU time used since it started), `kill(signal)` (a
 * crash with SIGKILL), `restart()` (on the same port) and `stop()` (SIGTERM,
 * SIGKILL after 5 s).
 */
export async function startApp({ store, secret, issuer, accessTtl, reuseInterval = 5 }) {
  const env = {
    ...process.env,
    TOKENLEASE_STORE: store,
    TOKENLEASE_SECRET: secret,
    TOKENLEASE_ACCESS_TTL: String(accessTtl),
    TOKENLEASE_REUSE_INTERVAL: String(reuseInterval),
    SOAK_ISSUER: issuer,
  };
  let child = await launch({ ...env, PORT: '0' });
  const port = child.port;
  const kill = async (signal = 'SIGTERM') => {
    const current = child;
    child = undefined;
    if (current !== undefined) await stopChild(current.process, signal);
  };
  return {
    port,
    cpuSeconds: () => (child === undefined ? Promise.resolve(0) : cpuSeconds(child.process)),
    kill,
    async restart() {
      await kill();
      child = await launch({ ...env, PORT: String(port) });
    },
    stop: () => kill('SIGTERM'),
  };
}

function launch(env) {
  const child = fork(SERVER, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const failed = (code) => reject(new Error(`the app process exited (${code}) before listening`));
    child.once('exit', failed);
    child.once('error', reject);
    child.once('message', ({ port }) => {
      child.off('exit', failed);
      resolve({ process: child, port });
    });
  });
}
