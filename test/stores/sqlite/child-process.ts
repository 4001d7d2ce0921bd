import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A child Node process running one of the scripts of this folder, read line by line. */
export interface Child {
  /** Every complete line the child has printed so far. */
  readonly lines: readonly string[];
  /** Resolves once `predicate` holds for the lines printed; rejects if the child ends first. */
  waitFor(predicate: (lines: readonly string[]) => boolean): Promise<void>;
  send(text: string): void;
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the child has ended and its output has been read to the end. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const BUILT_STORE = new URL('../../../dist/src/stores/sqlite/index.js', import.meta.url);

/** The child scripts import the compiled package; refuses to start them without it. */
export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(BUILT_STORE))) throw new Error('The multi-process SQLite tests need the compiled package: run `npm run build` first');
}

/** Starts `script` (a file of this folder) with `config` as its JSON argument. */
export function startChild(script: 'refresh-race.mjs' | 'refresh-load.mjs', config: object): Child {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), JSON.stringify(config)], { stdio: 'pipe' });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((listener) => listener());
  let partial = '';
  let stderr = '';
  let closed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      resolve({ code, signal, stderr });
      notify();
    });
  });
  const waitFor = (predicate: (lines: readonly string[]) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(lines) && !closed) return;
        listeners.delete(check);
        if (predicate(lines)) resolve();
        else reject(new Error(`${script} ended before the awaited output: ${stderr}`));
      };
      listeners.add(check);
      check();
    });
  return {
    lines,
    waitFor,
    send: (text) => child.stdin.write(text),
    kill: (signal) => child.kill(signal),
    ended,
  };
}

/** From the lines of `refresh-load.mjs`: the last token each chain printed, and whether its revocation was acknowledged. */
export function lastAcknowledged(lines: readonly string[], chains: number): { token: string; revoked: boolean }[] {
  const states = Array.from({ length: chains }, () => ({ token: '', revoked: false }));
  for (const line of lines) {
    const { chain, op, token } = JSON.parse(line) as { chain: number; op: string; token?: string };
    const state = states[chain];
    if (state === undefined) continue;
    if (token !== undefined) state.token = token;
    if (op === 'revoked') state.revoked = true;
  }
  return states;
}
