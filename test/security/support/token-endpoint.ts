import request from 'supertest';
import { expect } from 'vitest';
import { ALICE, type RunningApp } from './apps.js';
import { expectNoEcho, type Witnesses } from './leaks.js';

/** An RFC 6749 section 5.2 (or RFC 7009) refusal of a token endpoint. */
export interface EndpointRefusal {
  readonly status: number;
  readonly error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'unsupported_token_type';
}

export const INVALID_GRANT: EndpointRefusal = { status: 400, error: 'invalid_grant' };
export const INVALID_REQUEST: EndpointRefusal = { status: 400, error: 'invalid_request' };

/** The refresh grant, form-encoded. */
export function refreshWith(app: RunningApp, refreshToken: string): request.Test {
  return request(app.url).post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** POST a raw body with its content type. */
export function postRaw(app: RunningApp, path: string, body: string, type = 'application/x-www-form-urlencoded'): request.Test {
  return request(app.url).post(path).set('Content-Type', type).send(body);
}

/** Logs alice in through the app (cookie mode needs an allowed `Origin`); the refresh token from the body or the cookie. */
export async function loginThrough(app: RunningApp, origin?: string): Promise<{ accessToken: string; refreshToken: string }> {
  const call = request(app.url).post('/auth/login');
  const response = await (origin === undefined ? call : call.set('Origin', origin)).type('form').send(ALICE);
  expect(response.status).toBe(200);
  const cookie = String(response.headers['set-cookie']?.[0] ?? '');
  const refreshToken = String(response.body.refresh_token ?? cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';')));
  return { accessToken: String(response.body.access_token), refreshToken };
}

/**
 * Asserts an answer of a token endpoint: the status and RFC 6749 error,
 * `Cache-Control: no-store`, no cookie set, never a 5xx, nothing echoed.
 */
export function expectEndpointRefusal(
  response: request.Response,
  expected: EndpointRefusal,
  tokens: readonly string[],
  witnesses: Witnesses,
  label: string,
): void {
  expect(response.status, label).toBe(expected.status);
  expect(response.status, label).toBeLessThan(500);
  expect(response.body, label).toMatchObject({ error: expected.error, error_description: expect.any(String) });
  expect(response.headers['cache-control'], label).toBe('no-store');
  expect(response.headers['set-cookie'], label).toBeUndefined();
  expectNoEcho(response, tokens, witnesses);
}

const VARYING = new Set(['date', 'connection', 'keep-alive']);

/** What a client can observe of an answer, without the headers that vary by the second or the socket. */
export function observable(response: request.Response): { status: number; text: string; headers: [string, unknown][] } {
  const headers = Object.entries(response.headers).filter(([name]) => !VARYING.has(name)).sort(([a], [b]) => a.localeCompare(b));
  return { status: response.status, text: response.text, headers };
}
