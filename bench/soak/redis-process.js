// A redis-server for the soak: a free port on 127.0.0.1, its data in a directory of the caller,
// append-only persistence with an fsync before every answer, so a crash loses nothing acknowledged.
import { spawn } from 'node:child_process';
import { stopChild } from '../child-process.js';
import { createServer } from 'node:net';

const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts redis-server with `--appendonly yes --appendfsync always` in `dir`.
 * Resolves with its `port`, `url`, `kill(signal)` (SIGKILL is a crash; the
 * data stays), `restart()` (same port and dir) and `stop()`.
 */
export async function startRedis({ dir }) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    try {
      return handle(port, args, await launch(args));
    } catch (error) {
      // Another process may take the free port first.
      if (attempt >= 5) throw error;
    }
  }
}

function handle(port, args, first) {
  let child = first;
  const kill = async (signal = 'SIGTERM') => {
    const current = child;
    child = undefined;
    if (current !== undefined) await terminate(current, signal);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      child = await launch(args);
    },
    stop: () => kill('SIGTERM'),
  };
}

function launch(args) {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (error) => {
      clearTimeout(timer);
      void terminate(child, 'SIGKILL');
      reject(new Error(`${error.message}\n${output}`));
    };
    const timer = setTimeout(() => fail(new Error('redis-server did not start within 10 s')), 10_000);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}`)));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data').resume();
      resolve(child);
    });
  });
}

function terminate(child, signal) {
  running.delete(child);
  return stopChild(child, signal, 3_000);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => (port === 6379 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}
