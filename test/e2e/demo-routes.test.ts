import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../adapters/support/serve.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { TEST_SECRET } from '../support/test-clock.js';

/** What examples/express/server.js exports (plain JavaScript: typed here, at the test boundary). */
interface ExpressExample {
  createApp(options: { dbPath?: string; store?: string; secret: string; origins?: string[] }): {
    app: RequestListener;
    ready: Promise<void>;
    close(): Promise<void>;
  };
}

const SCRIPT = resolve(import.meta.dirname, '../../examples/express/server.js');
const PAGE_ORIGIN = 'http://localhost:4000';
const folder = mkdtempSync(join(tmpdir(), 'tokenlease-demo-routes-'));
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function start(store: string) {
  const module = (await import(pathToFileURL(SCRIPT).href)) as ExpressExample;
  const example = module.createApp({ store, secret: TEST_SECRET, origins: [PAGE_ORIGIN] });
  await example.ready;
  return { url: await serve(example.app), close: example.close };
}

async function logIn(url: string, username: string) {
  const login = await request(url).post('/auth/login').send({ username, password: `${username}-password` });
  const token = login.body.access_token as string;
  const me = await request(url).get('/api/me').set('Authorization', `Bearer ${token}`);
  return { token, sessionId: me.body.sessionId as string, refreshToken: login.body.refresh_token as string };
}

describe.each([
  { store: 'SQLite', description: () => `sqlite:${join(folder, 'routes.db')}` },
  { store: 'Redis', description: () => `redis://127.0.0.1:${redis.port}` },
])('the demo routes of examples/express/server.js on $store', ({ description }) => {
  it('lists the caller’s live sessions, marking the current one, and revokes only the caller’s own', async () => {
    const { url, close } = await start(description());
    try {
      const [laptop, phone, bob] = [await logIn(url, 'alice'), await logIn(url, 'alice'), await logIn(url, 'bob')];
      const listed = await request(url).get('/api/sessions').set('Authorization', `Bearer ${laptop.token}`);
      expect(listed.body.sessions).toHaveLength(2);
      expect(listed.body.sessions).toContainEqual(expect.objectContaining({ id: laptop.sessionId, current: true, scope: 'profile' }));
      expect(listed.body.sessions).toContainEqual(expect.objectContaining({ id: phone.sessionId, current: false }));
      expect(listed.body.sessions[0]).not.toHaveProperty('subject');

      const foreign = await request(url).delete(`/api/sessions/${bob.sessionId}`).set('Authorization', `Bearer ${laptop.token}`);
      expect([foreign.status, foreign.body.error]).toEqual([404, 'not_found']);
      expect((await request(url).get('/api/me').set('Authorization', `Bearer ${bob.token}`)).status).toBe(200);
      expect((await request(url).delete(`/api/sessions/${phone.sessionId}`)).status).toBe(401);

      const revoked = await request(url).delete(`/api/sessions/${phone.sessionId}`).set('Authorization', `Bearer ${laptop.token}`);
      expect(revoked.status).toBe(204);
      const after = await request(url).get('/api/me').set('Authorization', `Bearer ${phone.token}`);
      expect([after.status, after.body.error]).toEqual([401, 'invalid_token']);
      const refused = await request(url).post('/auth/token').send({ grant_type: 'refresh_token', refresh_token: phone.refreshToken });
      expect(refused.body.error).toBe('invalid_grant');
      const left = await request(url).get('/api/sessions').set('Authorization', `Bearer ${laptop.token}`);
      expect(left.body.sessions.map((session: { id: string }) => session.id)).toEqual([laptop.sessionId]);
    } finally {
      await close();
    }
  });
});

describe('the page’s side of examples/express/server.js', () => {
  it('serves the page at / under a policy that loads only its own files', async () => {
    const { url, close } = await start(`sqlite:${join(folder, 'page.db')}`);
    try {
      const page = await request(url).get('/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<title>tokenlease browser demo</title>');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect((await request(url).get('/token-client.js')).headers['content-type']).toMatch(/javascript/);
    } finally {
      await close();
    }
  });

  it('keeps the page’s refresh token in a strict cookie on /web/auth, set only for an allowed Origin', async () => {
    const { url, close } = await start(`sqlite:${join(folder, 'cookie.db')}`);
    try {
      const credentials = { username: 'alice', password: 'alice-password' };
      const login = await request(url).post('/web/auth/login').set('Origin', PAGE_ORIGIN).send(credentials);
      expect(login.status).toBe(200);
      expect(login.body).not.toHaveProperty('refresh_token');
      expect(login.headers['set-cookie']).toEqual([expect.stringMatching(/^tokenlease_refresh=[\w.-]+; Path=\/web\/auth; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/)]);
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';

      const elsewhere = await request(url).post('/web/auth/login').set('Origin', 'https://evil.example').send(credentials);
      expect([elsewhere.status, elsewhere.headers['set-cookie']]).toEqual([403, undefined]);
      const forged = await request(url).post('/web/auth/token').set('Cookie', cookie).set('Origin', 'https://evil.example').type('form').send({ grant_type: 'refresh_token' });
      expect(forged.status).toBe(403);
      const refreshed = await request(url).post('/web/auth/token').set('Cookie', cookie).set('Origin', PAGE_ORIGIN).type('form').send({ grant_type: 'refresh_token' });
      expect(refreshed.status).toBe(200);
    } finally {
      await close();
    }
  });

  it('starts from the environment: TOKENLEASE_STORE=redis://, TOKENLEASE_ACCESS_TTL, TOKENLEASE_ORIGINS', async () => {
    const env = {
      ...process.env,
      PORT: '0',
      TOKENLEASE_SECRET: TEST_SECRET,
      TOKENLEASE_STORE: `redis://127.0.0.1:${redis.port}`,
      TOKENLEASE_ACCESS_TTL: '20',
      TOKENLEASE_ORIGINS: `${PAGE_ORIGIN}, https://demo.example`,
    };
    const child = spawn(process.execPath, [SCRIPT], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const { url, stdout } = await started(child);
      expect(stdout).toContain(`Open ${url}/ in a browser for the demo page (access tokens live 20 s`);
      const api = url.replace('localhost', '127.0.0.1');
      const login = await request(api).post('/web/auth/login').set('Origin', 'https://demo.example').send({ username: 'bob', password: 'bob-password' });
      expect([login.status, login.body.expires_in]).toEqual([200, 20]);
      expect((await request(api).post('/web/auth/login').set('Origin', url).send({ username: 'bob', password: 'bob-password' })).status).toBe(403);
    } finally {
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a store it does not know, naming the variable', async () => {
    const env = { ...process.env, PORT: '0', TOKENLEASE_SECRET: TEST_SECRET, TOKENLEASE_STORE: 'postgres://db' };
    const child = spawn(process.execPath, [SCRIPT], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolveExit) => child.once('exit', resolveExit))).toBe(1);
    expect(stderr).toContain('TOKENLEASE_STORE must be sqlite:PATH or redis://host:port');
  });
});

/** Resolves with the URL the server printed once it is ready; rejects if it exits first. */
function started(child: ChildProcess): Promise<{ url: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveStart, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(stdout);
      if (match?.[1] !== undefined && stdout.includes('curl -si')) resolveStart({ url: match[1], stdout });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}
