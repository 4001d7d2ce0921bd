import request from 'supertest';
import { expect } from 'vitest';
import type { RunningApp } from './apps.js';
import { ISSUER } from './issuer.js';
import { expectNoEcho, type Witnesses } from './leaks.js';
import type { ServedIssuer } from './served-issuer.js';

/** How a protected resource must answer: the status, and the RFC 6750 error (none when no credentials were sent). */
export interface Refusal {
  readonly status: 400 | 401 | 403;
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
}

export const CHALLENGE = `Bearer realm="${ISSUER}"`;
export const INVALID_TOKEN: Refusal = { status: 401, error: 'invalid_token' };
export const INVALID_REQUEST: Refusal = { status: 400, error: 'invalid_request' };
export const NO_CREDENTIALS: Refusal = { status: 401 };

/** RFC 6750 section 2.1 `b64token`: what an Authorization header can carry as a bearer token. */
export function isB64token(token: string): boolean {
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
}

/** GET `path` with these Authorization lines (none, one, or several). */
export function callWith(app: RunningApp, authorization: string | readonly string[] | undefined, path = '/api/me'): request.Test {
  const call = request(app.url).get(path);
  return authorization === undefined ? call : call.set({ Authorization: authorization as string | string[] });
}

/** Asserts one answer of a protected resource: status, RFC 6750 error and challenge, never a 5xx, nothing echoed. */
export function expectRefusalResponse(response: request.Response, expected: Refusal, tokens: readonly string[], witnesses: Witnesses, label: string): void {
  expect(response.status, label).toBe(expected.status);
  expect(response.status, label).toBeLessThan(500);
  const challenge = String(response.headers['www-authenticate'] ?? '');
  if (expected.error === undefined) {
    // RFC 6750 section 3.1: a request without credentials gets no error code and no error information.
    expect(challenge, label).toBe(CHALLENGE);
    expect(response.text, label).toBe('');
  } else {
    expect(response.body, label).toMatchObject({ error: expected.error, error_description: expect.any(String) });
    expect(challenge.startsWith(`${CHALLENGE}, error="${expected.error}", error_description="`), label).toBe(true);
  }
  expectNoEcho(response, tokens, witnesses);
}

/** Sends the Authorization lines to every app and asserts the refusal. */
export async function expectBearerRefused(
  apps: readonly RunningApp[],
  authorization: string | readonly string[] | undefined,
  expected: Refusal,
  witnesses: Witnesses,
  tokens: readonly string[] = [],
): Promise<void> {
  for (const app of apps) {
    const response = await callWith(app, authorization);
    expectRefusalResponse(response, expected, tokens, witnesses, `${app.name}: ${String(authorization).slice(0, 80)}`);
  }
}

/**
 * The core refuses the token with `invalid_token` and this reason, and both
 * apps answer 401 `invalid_token` (or 400 `invalid_request` when the token
 * cannot even be a bearer credential), echoing nothing.
 */
export async function expectTokenRefused({ issuer, apps, witnesses }: ServedIssuer, token: string, reason: string): Promise<void> {
  await expect(issuer.auth.verify(token), `core, ${reason}: ${token.slice(0, 60)}`).rejects.toMatchObject({ code: 'invalid_token', status: 401, reason });
  const expected = isB64token(token) ? INVALID_TOKEN : INVALID_REQUEST;
  await expectBearerRefused(apps, `Bearer ${token}`, expected, witnesses, [token]);
}

/** The core and both apps accept the token (a control: the refusals above are not refusals of everything). */
export async function expectTokenAccepted({ issuer, apps }: ServedIssuer, token: string): Promise<void> {
  await expect(issuer.auth.verify(token)).resolves.toMatchObject({ subject: 'alice' });
  for (const app of apps) {
    const response = await callWith(app, `Bearer ${token}`);
    expect([app.name, response.status, response.body]).toEqual([app.name, 200, { subject: 'alice' }]);
  }
}
