// The benchmark's and the soak's child processes: their CPU time, and stopping them by pid.
import { once } from 'node:events';

/** CPU seconds (user and system) a forked child has used so far, asked over IPC; rejects if it is gone. */
export function cpuSeconds(child) {
  return new Promise((resolve, reject) => {
    if (!child.connected) return reject(new Error(`process ${child.pid} is gone`));
    const gone = (code) => reject(new Error(`process ${child.pid} exited (${code})`));
    child.once('exit', gone);
    child.once('message', ({ cpu }) => {
      child.off('exit', gone);
      resolve((cpu.user + cpu.system) / 1e6);
    });
    child.send('cpu');
  });
}

/** Stops a child with `signal`, and with SIGKILL if it still runs `graceMs` later; resolves once it exited. */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
