// Each benchmark server runs in its own process (child_process.fork) and reports its port over IPC.
import { fork } from 'node:child_process';
import { cpuSeconds, stopChild } from '../child-process.js';

/**
 * Starts `servers/<framework>.js <variant>`; resolves when it listens on 127.0.0.1, with its
 * port, pid, `cpuSeconds()` and `stop()`.
 * `execArgv` adds Node flags to the server process (for instance --cpu-prof).
 */
export function startServer(framework, variant, { execArgv = [] } = {}) {
  const script = new URL(`./servers/${framework}.js`, import.meta.url);
  const child = fork(script, [variant], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const failed = (code) => reject(new Error(`${framework} server "${variant}" exited (${code}) before listening`));
    child.once('exit', failed);
    child.once('error', reject);
    child.once('message', ({ port }) => {
      child.off('exit', failed);
      resolve({ framework, variant, port, pid: child.pid, cpuSeconds: () => cpuSeconds(child), stop: () => stopChild(child) });
    });
  });
}
