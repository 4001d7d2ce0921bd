import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../support/test-clock.js';
import { serve } from './support/serve.js';

/** What an example's server.js exports (plain JavaScript: typed here, at the test boundary). */
interface ExampleModule {
  createApp(options: { dbPath: string; secret: string }): { app: unknown; close(): void };
}

const ROOT = resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(join(tmpdir(), 'tokenlease-examples-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const examples = [
  { name: 'express', port: 3000, listener: (app: unknown) => app as RequestListener },
  { name: 'koa', port: 3001, listener: (app: unknown) => (app as { callback(): RequestListener }).callback() },
];

describe.each(examples)('examples/$name/server.js', ({ name, port, listener }) => {
  const script = join(ROOT, 'examples', name, 'server.js');

  async function start(dbPath: string) {
    const module = (await import(pathToFileURL(script).href)) as ExampleModule;
    const { app, close } = module.createApp({ dbPath, secret: TEST_SECRET });
    return { url: await serve(listener(app)), close };
  }

  it('walks through the README: login, the API, refresh, revoke, the 401', async () => {
    const { url, close } = await start(join(folder, name, 'walk.db'));
    try {
      expect((await request(url).post('/auth/login').type('form').send({ username: 'alice', password: 'nope' })).status).toBe(401);
      const login = await request(url).post('/auth/login').type('form').send({ username: 'alice', password: 'alice-password' });
      expect(login.body).toMatchObject({ token_type: 'Bearer', scope: 'profile' });
      const me = await request(url).get('/api/me').set('Authorization', `Bearer ${login.body.access_token}`);
      expect(me.body).toMatchObject({ subject: 'alice', scope: 'profile' });
      const refreshed = await request(url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
      expect(refreshed.status).toBe(200);
      expect((await request(url).post('/auth/revoke').type('form').send({ token: refreshed.body.refresh_token })).status).toBe(200);
      const after = await request(url).get('/api/me').set('Authorization', `Bearer ${refreshed.body.access_token}`);
      expect([after.status, after.body.error]).toEqual([401, 'invalid_token']);
      const again = await request(url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
      expect(again.body.error).toBe('invalid_grant');
      expect((await request(url).get('/api/me')).headers['www-authenticate']).toBe(`Bearer realm="http://localhost:${port}"`);
    } finally {
      close();
    }
  });

  it('keeps sessions in SQLite across a restart', async () => {
    const dbPath = join(folder, name, 'restart.db');
    const first = await start(dbPath);
    const login = await request(first.url).post('/auth/login').send({ username: 'bob', password: 'bob-password' });
    first.close();
    const second = await start(dbPath);
    try {
      const refreshed = await request(second.url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
      expect(refreshed.status).toBe(200);
    } finally {
      second.close();
    }
  });

  it('starts on PORT, warns about a generated secret, creates data/tokenlease.db and prints how to try it', async () => {
    const cwd = join(folder, name, 'cwd');
    const { TOKENLEASE_SECRET: _unset, ...inherited } = process.env;
    const env = { ...inherited, PORT: '0' };
    mkdirSync(cwd, { recursive: true });
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening on (http:\/\/localhost:\d+)/.exec(stdout);
          if (match?.[1] !== undefined && stdout.includes('curl -si')) resolveUrl(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      expect(stdout).toContain(`curl -s -X POST ${url}/auth/login -d username=alice -d password=alice-password`);
      expect(stderr).toContain('TOKENLEASE_SECRET is not set');
      expect(existsSync(join(cwd, 'data', 'tokenlease.db'))).toBe(true);
      const login = await request(url.replace('localhost', '127.0.0.1')).post('/auth/login').send({ username: 'alice', password: 'alice-password' });
      expect(login.status).toBe(200);
    } finally {
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
