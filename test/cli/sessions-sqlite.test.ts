import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/stores/sqlite/index.js';
import { runCli } from './run-cli.js';
import { describeSessionsCommands } from './sessions-commands.js';

const dir = mkdtempSync(join(tmpdir(), 'tokenlease-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The application keeps the file open while the CLI works on it, as in production (WAL).
describeSessionsCommands('a SQLite file', async () => {
  const path = join(dir, 'sessions.db');
  const store = new SqliteStore({ path });
  return { location: `sqlite:${path}`, store, close: async () => store.close() };
});

describe('tokenlease sessions on a SQLite file that is not there', () => {
  it('exits 1 and names the file when its directory does not exist', async () => {
    const path = join(dir, 'no-such-dir', 'sessions.db');
    const run = await runCli(['sessions', 'count', '--store', `sqlite:${path}`]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`tokenlease: cannot open the SQLite file ${path}: no such file\n`);
  });

  it('exits 1 rather than create a database for a mistyped path', async () => {
    const path = join(dir, 'sesions.db');
    const run = await runCli(['sessions', 'revoke', '--subject', 'alice', '--store', `sqlite:${path}`]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain('no such file');
    expect(existsSync(path)).toBe(false);
  });

  it('exits 1 for a path that is not a database file', async () => {
    const run = await runCli(['sessions', 'count', '--store', `sqlite:${dir}`]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^tokenlease: cannot open the SQLite file .+: /);
  });
});
