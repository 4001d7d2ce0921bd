import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const running = new Set<ChildProcess>();

// A test file that dies without its afterAll must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A redis-server process of a test, on 127.0.0.1 at a free port, with its data in a temp dir. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** Stops the process with a signal (SIGKILL simulates a crash) and keeps the dir. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the process again on the same port and dir. */
  restart(): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL) and removes the dir. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Keep data across a restart (`--appendonly yes`). @default false */
  readonly appendOnly?: boolean;
  /** Start a Redis Cluster node (with its bus on a second free port). @default false */
  readonly cluster?: boolean;
}

/** Starts a redis-server on a free port (never 6379), retrying when another process takes the port first. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlease-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = serverArgs(port, dir, options.cluster === true ? await freePort() : undefined, options.appendOnly === true);
    try {
      return serverHandle(port, dir, args, await launch(args));
    } catch (error) {
      if (attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/** A Redis Cluster of three masters, ready (`cluster_state:ok` on every node). */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  stop(): Promise<void>;
}

/** Starts three cluster nodes, joins them with `redis-cli --cluster create` and waits until the cluster is ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes = await Promise.all([1, 2, 3].map(() => startRedisServer({ cluster: true })));
  const cluster: RedisCluster = {
    nodes,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
  try {
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(async () => {
      const states = await Promise.all(nodes.map((node) => run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])));
      return states.every(({ stdout }) => stdout.includes('cluster_state:ok'));
    }, 30_000);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Polls `check` every 50 ms until it returns true, or throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function serverArgs(port: number, dir: string, busPort: number | undefined, appendOnly: boolean): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', appendOnly ? 'yes' : 'no', '--dir', dir];
  if (busPort === undefined) return args;
  return [...args, '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-port', String(busPort)];
}

function serverHandle(port: number, dir: string, args: readonly string[], first: ChildProcess): RedisServer {
  let child: ChildProcess | undefined = first;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const current = child;
    child = undefined;
    if (current !== undefined) await terminate(current, signal);
  };
  return {
    port,
    dir,
    kill,
    async restart() {
      await kill();
      child = await launch(args);
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns redis-server and resolves once it accepts connections; rejects if it exits first (a taken port). */
function launch(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('redis-server did not start within 10 s')), 10_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      void terminate(child, 'SIGKILL');
      reject(new Error(`${error.message}\n${output}`));
    };
    child.on('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data').resume();
      resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
}

/** Sends `signal`, then SIGKILL if the process has not exited within 3 s. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port === 6379 || port === 0 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}
