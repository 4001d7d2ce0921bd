import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium } from './support/chromium.js';
import { clickFor, isCall, openTab, shows, signIn } from './support/demo-page.js';
import { startDemo } from './support/demo-server.js';

// Remakes the README's picture of the demo (about 25 s); skipped otherwise:
//   TOKENLEASE_SCREENSHOT=1 npx vitest run test/e2e/readme-screenshot.test.ts
const TARGET = resolve(import.meta.dirname, '../../docs/browser-demo.png');

describe.runIf(process.env.TOKENLEASE_SCREENSHOT === '1' && chromiumInstalled)('docs/browser-demo.png', () => {
  it('shows alice signed in after a renewal, with two sessions and the countdown running', { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokenlease-screenshot-'));
    const [browser, server] = await Promise.all([launchChromium(), startDemo(folder, 20)]);
    try {
      const look = { viewport: { width: 1000, height: 700 }, locale: 'en-GB', timezoneId: 'UTC' };
      const phone = await openTab(await browser.newContext(look), server.url);
      await signIn(phone, 'alice', 'alice-password');
      const laptop = await openTab(await browser.newContext(look), server.url);
      const renewal = laptop.page.waitForResponse(isCall('POST', '/web/auth/token'), { timeout: 30_000 });
      await signIn(laptop, 'alice', 'alice-password');
      await shows(laptop, '#session-count', '2');
      expect((await renewal).status()).toBe(200);
      await sleep(5_500);
      await clickFor(laptop, '#reload-sessions', 'GET', '/api/sessions');
      await clickFor(laptop, '#call-api', 'GET', '/api/me');
      await sleep(200);
      await laptop.page.mouse.move(0, 0);
      await laptop.page.screenshot({ path: TARGET });
    } finally {
      await Promise.all([browser.close(), server.close()]);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
