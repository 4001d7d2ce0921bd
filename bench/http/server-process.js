// Each benchmark server runs in its own process (child_process.fork) and reports its port over IPC.
import { fork } from 'node:child_process';
import { once } from 'node:events';

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

/** CPU seconds (user and system) the server process has used so far; rejects if it is gone. */
function cpuSeconds(child) {
  return new Promise((resolve, reject) => {
    if (!child.connected) return reject(new Error(`server ${child.pid} is gone`));
    const gone = (code) => reject(new Error(`server ${child.pid} exited (${code})`));
    child.once('exit', gone);
    child.once('message', ({ cpu }) => {
      child.off('exit', gone);
      resolve((cpu.user + cpu.system) / 1e6);
    });
    child.send('cpu');
  });
}

/** Stops a server by its pid: SIGTERM (it exits through process.exit), SIGKILL after 5 s. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
