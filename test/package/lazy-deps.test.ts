import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const OPTIONAL = ['express', 'koa', 'better-sqlite3', 'ioredis'];

/**
 * The optional peers an entry point loads, imported by name in a fresh node (the package
 * references itself from its root). All four peers are CommonJS packages, so loading them,
 * even from ESM, puts their files in require.cache.
 */
async function peersLoadedBy(entry: string): Promise<string[]> {
  const probe = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    await import(${JSON.stringify(entry)});
    const files = Object.keys(require.cache);
    console.log(JSON.stringify(${JSON.stringify(OPTIONAL)}.filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/')))));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT });
  return JSON.parse(stdout) as string[];
}

describe('optional peer dependencies', () => {
  it('are not loaded by the root entry', async () => {
    expect(await peersLoadedBy('tokenlease')).toEqual([]);
  });

  it('are loaded, if at all, only by the entry point of each one', async () => {
    const own = { 'tokenlease/sqlite': 'better-sqlite3', 'tokenlease/redis': 'ioredis', 'tokenlease/express': 'express', 'tokenlease/koa': 'koa' };
    const loaded = await Promise.all(Object.keys(own).map(async (entry) => [entry, await peersLoadedBy(entry)] as const));
    const others = Object.fromEntries(loaded.map(([entry, peers]) => [entry, peers.filter((name) => name !== own[entry as keyof typeof own])]));
    expect(others).toEqual({ 'tokenlease/sqlite': [], 'tokenlease/redis': [], 'tokenlease/express': [], 'tokenlease/koa': [] });
    // better-sqlite3 is loaded by the SQLite store itself: the probe sees what it must see.
    expect(Object.fromEntries(loaded)['tokenlease/sqlite']).toEqual(['better-sqlite3']);
  });
});
