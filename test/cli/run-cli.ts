import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built bin, as npm links it: the tests run the real thing, not the source. */
export const BIN = resolve(import.meta.dirname, '../../dist/src/cli/bin.js');

/** What one run of the CLI did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly ms: number;
}

/** Fails with a clear message when the package has not been built (CI builds before `npm test`). */
export function requireBuiltBin(): void {
  if (!existsSync(BIN)) throw new Error('dist/src/cli/bin.js is missing: run `npm run build` before these tests');
}

/** Runs `node dist/src/cli/bin.js ...args` in a child process and collects its output. */
export function runCli(args: readonly string[]): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr, ms: performance.now() - started }));
  });
}
