import type { BrowserContext, Page, Response } from 'playwright-core';

/** One answer the server gave the page. */
export interface Answer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A tab on the demo page, with every answer it received and every uncaught error. */
export interface DemoTab {
  readonly page: Page;
  readonly answers: Answer[];
  readonly errors: Error[];
}

/** Opens the demo page in a new tab of `context` and waits until it shows a view. */
export async function openTab(context: BrowserContext, url: string): Promise<DemoTab> {
  const page = await context.newPage();
  const tab = { page, answers: [] as Answer[], errors: [] as Error[] };
  page.on('response', (response) => {
    tab.answers.push({ method: response.request().method(), path: new URL(response.url()).pathname, status: response.status() });
  });
  page.on('pageerror', (error) => tab.errors.push(error));
  await page.goto(`${url}/`);
  await page.locator('#login-view:not([hidden]), #app-view:not([hidden])').waitFor();
  return tab;
}

/** Fills and sends the login form; returns the server's answer to `POST /web/auth/login`. */
export async function signIn({ page }: DemoTab, username: string, password: string): Promise<Response> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  const [answer] = await Promise.all([page.waitForResponse(isCall('POST', '/web/auth/login')), page.click('#login-form button')]);
  return answer;
}

/** Waits until the element shows `text` (a substring). */
export async function shows({ page }: DemoTab, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).waitFor();
}

/** Clicks, and returns the server's answer to the call the click makes. */
export async function clickFor({ page }: DemoTab, selector: string, method: string, path: string): Promise<Response> {
  const [answer] = await Promise.all([page.waitForResponse(isCall(method, path)), page.click(selector)]);
  return answer;
}

/** The answers since the `from`-th, as `METHOD /path STATUS` lines. */
export function answersSince({ answers }: DemoTab, from: number): string[] {
  return answers.slice(from).map(({ method, path, status }) => `${method} ${path} ${status}`);
}

/** A predicate for `page.waitForResponse`. */
export function isCall(method: string, path: string): (response: Response) => boolean {
  return (response) => response.request().method() === method && new URL(response.url()).pathname === path;
}
