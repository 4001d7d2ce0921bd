import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** True when Chromium is installed. */
export const chromiumInstalled = existsSync(CHROMIUM);

/** True under CI (`CI=true`): there a missing Chromium fails the tests instead of skipping them. */
export const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/** Where failing tests leave screenshots (git-ignored). */
export const FAILURE_FOLDER = resolve(import.meta.dirname, '../../../test-results/e2e');

/** Launches headless Chromium with nothing running in the background. */
export function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled) throw new Error(`${CHROMIUM} is missing: install it with apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Saves a screenshot of every page of `contexts` under {@link FAILURE_FOLDER}; returns the files. */
export async function saveScreenshots(testName: string, contexts: readonly BrowserContext[]): Promise<string[]> {
  mkdirSync(FAILURE_FOLDER, { recursive: true });
  const stem = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  const pages = contexts.flatMap((context, index) => context.pages().map((page, tab) => ({ page, file: `${stem}-context${index}-tab${tab}.png` })));
  const saved = await Promise.all(
    pages.map(async ({ page, file }) => {
      const path = join(FAILURE_FOLDER, file);
      return page.screenshot({ path, timeout: 5000 }).then(() => path, () => undefined);
    }),
  );
  return saved.filter((path) => path !== undefined);
}
