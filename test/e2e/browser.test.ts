import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumInstalled, inCi, launchChromium, saveScreenshots } from './support/chromium.js';
import { answersSince, clickFor, isCall, openTab, shows, signIn, type DemoTab } from './support/demo-page.js';
import { startDemo, type DemoServer } from './support/demo-server.js';

// Outside CI a machine without Chromium skips, and says why; under CI=true the tests fail instead.
const skip = !chromiumInstalled && !inCi;
if (skip) console.warn(`test/e2e: ${CHROMIUM} is missing, so the browser tests are skipped (apt-get install chromium; under CI=true they fail).`);

/** Access tokens of the expiry scenarios live this long: the page renews them 2 s before. */
const SHORT_TTL = 4;

describe.skipIf(skip)('the browser demo in Chromium', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tokenlease-e2e-'));
  let browser: Browser;
  let steady: DemoServer; // access tokens of 10 minutes: nothing renews unless a test says so
  let brief: DemoServer; // access tokens of SHORT_TTL seconds
  let contexts: BrowserContext[] = [];
  let tabs: DemoTab[] = [];

  beforeAll(async () => {
    [browser, steady, brief] = await Promise.all([launchChromium(), startDemo(folder, 600), startDemo(folder, SHORT_TTL)]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), steady?.close(), brief?.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const saved = await saveScreenshots(task.name, contexts);
      console.error(`screenshots of the failed test: ${saved.join(', ')}`);
    }
    const errors = tabs.flatMap((tab) => tab.errors.map((error) => error.message));
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    tabs = [];
    expect(errors, 'uncaught errors in the page').toEqual([]);
  });

  /** A new browser profile (its own cookies: its own session) with one tab on the demo. */
  async function visitor(server: DemoServer, options: { pausedClock?: boolean } = {}): Promise<DemoTab> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    if (options.pausedClock !== true) return tab(context, server);
    await context.clock.install();
    const opened = await tab(context, server);
    // The page's timers stop, as in a tab that sleeps: nothing renews its token. Pausing a little
    // ahead of the page's time, since that time moves on while the call travels (a busy machine).
    await opened.page.clock.pauseAt(await opened.page.evaluate(() => Date.now() + 250));
    return opened;
  }

  async function tab(context: BrowserContext, server: DemoServer): Promise<DemoTab> {
    const opened = await openTab(context, server.url);
    tabs.push(opened);
    return opened;
  }

  it('logs in and shows the protected data; the refresh token stays in a strict HttpOnly cookie', async () => {
    const alice = await visitor(steady);
    await shows(alice, '#login-view h2', 'Sign in');
    const login = await signIn(alice, 'alice', 'alice-password');
    expect(login.status()).toBe(200);
    const body = (await login.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'profile' });
    expect(body).not.toHaveProperty('refresh_token');

    await shows(alice, '#me-subject', 'alice');
    await shows(alice, '#sessions .badge', 'this browser');
    await shows(alice, '#user', 'Signed in as alice');
    await expect.poll(async () => Number(await alice.page.textContent('#countdown')), { timeout: 5000 }).toBeGreaterThan(590);
    expect(answersSince(alice, 0)).toEqual(
      expect.arrayContaining(['POST /web/auth/login 200', 'GET /api/me 200', 'GET /api/sessions 200']),
    );

    const cookies = await alice.page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'tokenlease_refresh', httpOnly: true, secure: true, sameSite: 'Strict', path: '/web/auth' }),
    ]);
    const stored = await alice.page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]');
    expect(stored).toEqual([0, 0, '']);
  });

  it('renews the access token before it expires, so the API answers past the first token’s life', async () => {
    const alice = await visitor(brief);
    const renewal = alice.page.waitForResponse(isCall('POST', '/web/auth/token'));
    await signIn(alice, 'alice', 'alice-password');
    // The first token was issued before this moment, so it has expired SHORT_TTL seconds later.
    const signedInAt = Date.now();
    await shows(alice, '#me-subject', 'alice');
    expect((await renewal).status()).toBe(200);

    await sleep(signedInAt + (SHORT_TTL + 0.3) * 1000 - Date.now());
    const me = await clickFor(alice, '#call-api', 'GET', '/api/me');
    expect(me.status()).toBe(200);
    expect(answersSince(alice, 0).filter((line) => line.endsWith(' 401'))).toEqual([]);
  });

  it('after a 401 (the tab slept past the expiry) refreshes silently and retries the call', async () => {
    const alice = await visitor(brief, { pausedClock: true });
    await signIn(alice, 'alice', 'alice-password');
    const signedInAt = Date.now();
    await shows(alice, '#me-subject', 'alice');
    const mark = alice.answers.length;
    await sleep(signedInAt + (SHORT_TTL + 0.3) * 1000 - Date.now());

    await clickFor(alice, '#call-api', 'GET', '/api/me');
    await expect.poll(() => answersSince(alice, mark), { timeout: 5000 }).toEqual([
      'GET /api/me 401',
      'POST /web/auth/token 200',
      'GET /api/me 200',
    ]);
    await expect.poll(() => alice.page.isVisible('#app-view')).toBe(true);
  });

  it('keeps two tabs of one browser logged in when both refresh at the same moment', async () => {
    const first = await visitor(steady);
    await signIn(first, 'alice', 'alice-password');
    await shows(first, '#me-subject', 'alice');
    const second = await tab(first.page.context(), steady);
    await shows(second, '#me-subject', 'alice');
    const mark = steady.events.length;

    const together = steady.holdRefreshes(2);
    const answers = Promise.all([clickFor(first, '#renew', 'POST', '/web/auth/token'), clickFor(second, '#renew', 'POST', '/web/auth/token')]);
    await together;
    expect((await answers).map((answer) => answer.status())).toEqual([200, 200]);
    const refreshes = steady.events.slice(mark).map((event) => (event.type === 'session.refreshed' ? `refreshed concurrent=${event.concurrent}` : event.type));
    expect(refreshes.sort()).toEqual(['refreshed concurrent=false', 'refreshed concurrent=true']);

    for (const each of [first, second]) {
      expect((await clickFor(each, '#call-api', 'GET', '/api/me')).status()).toBe(200);
      expect((await clickFor(each, '#renew', 'POST', '/web/auth/token')).status()).toBe(200);
    }
    expect(await first.page.isVisible('#app-view')).toBe(true);
    expect(await second.page.isVisible('#app-view')).toBe(true);
  });

  it('revoking a session from the list logs that browser out on its next call', async () => {
    const laptop = await visitor(steady);
    const phone = await visitor(steady);
    await signIn(phone, 'bob', 'bob-password');
    await shows(phone, '#me-subject', 'bob');
    const phoneSession = await phone.page.textContent('#me-session');
    await signIn(laptop, 'bob', 'bob-password');
    await shows(laptop, '#session-count', '2');
    await shows(laptop, '#sessions .badge', 'this browser');

    const revoked = await clickFor(laptop, `#sessions li[data-session-id="${phoneSession}"] button`, 'DELETE', `/api/sessions/${phoneSession}`);
    expect(revoked.status()).toBe(204);
    await shows(laptop, '#session-count', '1');

    const mark = phone.answers.length;
    await phone.page.click('#call-api');
    await shows(phone, '#login-error', 'Your session has ended');
    expect(answersSince(phone, mark)).toEqual(['GET /api/me 401', 'POST /web/auth/token 400']);
    expect(await phone.page.isVisible('#app-view')).toBe(false);
    expect((await clickFor(laptop, '#call-api', 'GET', '/api/me')).status()).toBe(200);
  });

  it('logout ends the session, clears the cookie, and the protected calls fail', async () => {
    const alice = await visitor(steady);
    const login = await signIn(alice, 'alice', 'alice-password');
    const { access_token: accessToken } = (await login.json()) as { access_token: string };
    await shows(alice, '#me-subject', 'alice');

    const logout = await clickFor(alice, '#logout', 'POST', '/web/auth/logout');
    expect(logout.status()).toBe(204);
    await shows(alice, '#login-error', 'You logged out.');
    expect(await alice.page.context().cookies()).toEqual([]);

    const me = await fetch(`${steady.url.replace('localhost', '127.0.0.1')}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect([me.status, ((await me.json()) as { error: string }).error]).toEqual([401, 'invalid_token']);
    const refresh = await alice.page.evaluate(async () => {
      const answer = await fetch('/web/auth/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
      return [answer.status, ((await answer.json()) as { error: string }).error];
    });
    expect(refresh).toEqual([400, 'invalid_request']);
    await alice.page.reload();
    await shows(alice, '#login-view h2', 'Sign in');
  });

  it('shows an error for a bad password, and the form still works', async () => {
    const alice = await visitor(steady);
    const refused = await signIn(alice, 'alice', 'not-her-password');
    expect(refused.status()).toBe(401);
    await shows(alice, '#login-error', 'Wrong username or password.');
    expect(await alice.page.isVisible('#login-form')).toBe(true);
    expect(await alice.page.context().cookies()).toEqual([]);

    expect((await signIn(alice, 'alice', 'alice-password')).status()).toBe(200);
    await shows(alice, '#me-subject', 'alice');
  });
});
