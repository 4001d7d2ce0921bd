import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

// A CommonJS app with tokenlease in its node_modules (a link to this package, as `npm link` makes).
const APP = `'use strict';
const { createAuth } = require('tokenlease');
const entries = {
  tokenlease: require('tokenlease'),
  'tokenlease/express': require('tokenlease/express'),
  'tokenlease/koa': require('tokenlease/koa'),
  'tokenlease/sqlite': require('tokenlease/sqlite'),
  'tokenlease/redis': require('tokenlease/redis'),
};
const exported = Object.fromEntries(Object.entries(entries).map(([name, mod]) => [name, Object.keys(mod).filter((key) => typeof mod[key] === 'function')]));
const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys: { secret: 'a'.repeat(32) } });
auth.issue({ subject: 'alice' }).then((tokens) => auth.verify(tokens.accessToken)).then((verified) => {
  console.log(JSON.stringify({ exported, subject: verified.subject }));
});
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenlease-cjs-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'tokenlease'), 'dir');
  writeFileSync(join(dir, 'app.cjs'), APP);
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('require() from a CommonJS app (Node 20.19+ loads ESM without top-level await)', () => {
  it('loads every entry point with its exports, and the core works', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'app.cjs')], { cwd: dir });
    const { exported, subject } = JSON.parse(stdout) as { exported: Record<string, string[]>; subject: string };
    expect(subject).toBe('alice');
    expect(exported.tokenlease).toEqual(expect.arrayContaining(['createAuth', 'createVerifier', 'generateSigningKey', 'MemoryStore', 'TokenleaseError']));
    expect(exported['tokenlease/express']).toEqual(expect.arrayContaining(['authenticate', 'tokenRouter']));
    expect(exported['tokenlease/koa']).toEqual(expect.arrayContaining(['authenticate', 'tokenRouter']));
    expect(exported['tokenlease/sqlite']).toEqual(['SqliteStore']);
    expect(exported['tokenlease/redis']).toEqual(['RedisStore']);
  });
});
