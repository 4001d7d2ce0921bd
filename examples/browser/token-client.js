// The page's side of tokenlease: logs in, keeps the access token fresh and calls the API with it.
// The access token lives in a variable of this module only: never in localStorage, sessionStorage
// or a readable cookie, so a script injected into another page of the site cannot find it at rest.
// The refresh token is in an HttpOnly cookie on /web/auth that no script can read at all.

const AUTH = '/web/auth';

let accessToken = null;
let lifetime = 0; // seconds
let expiresAt = 0; // page clock, milliseconds
let renewTimer;
let refreshing = null;
const listeners = new Set();

/** An answer of the token endpoints that is not a token: `status` 0 means the server was unreachable. */
export class AuthError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** True when the session is over (refused refresh token), false for an outage worth retrying. */
  get ended() {
    return this.status >= 400 && this.status < 500;
  }
}

/**
 * Calls `listener(event)` for `{ type: 'token', reason }` (a new access token),
 * `{ type: 'ended', reason }` (logged out or the session ended), `{ type: 'retry', reason }`
 * (a renewal failed for a moment) and `{ type: 'request', method, path, status }`.
 */
export function subscribe(listener) {
  listeners.add(listener);
}

/** The access token's remaining life, for the countdown. */
export function tokenLife() {
  return { loggedIn: accessToken !== null, lifetime, remaining: Math.max(0, expiresAt - Date.now()) / 1000 };
}

/** Logs in; throws an {@link AuthError} (401 `invalid_credentials` for a wrong password). */
export async function login(username, password) {
  const answer = await post('/login', JSON.stringify({ username, password }), 'application/json');
  accept(answer, 'signed in');
}

/** Trades the refresh cookie for a new access token; concurrent calls of one page share one request. */
export function refresh(reason) {
  refreshing ??= renew(reason).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Ends the session on the server (which clears the cookie), then forgets the access token. */
export async function logout() {
  try {
    await post('/logout', '', 'application/x-www-form-urlencoded');
  } finally {
    forget('You logged out.');
  }
}

/**
 * Calls the API with the access token. A 401 (the token expired while the tab
 * slept, or the session was revoked) gets one refresh and one retry; when the
 * refresh is refused the session is over and an `ended` event says so.
 */
export async function api(method, path) {
  if (accessToken === null) await refresh('no access token');
  let response = await send(method, path);
  if (response.status === 401) {
    await refresh(`${method} ${path} answered 401`);
    response = await send(method, path);
  }
  return response;
}

async function send(method, path) {
  const response = await fetch(path, { method, headers: { Authorization: `Bearer ${accessToken}` } });
  emit({ type: 'request', method, path, status: response.status });
  return response;
}

async function renew(reason) {
  try {
    accept(await post('/token', new URLSearchParams({ grant_type: 'refresh_token' }).toString(), 'application/x-www-form-urlencoded'), reason);
  } catch (error) {
    if (!(error instanceof AuthError) || error.ended) {
      forget('Your session has ended: it was revoked, logged out elsewhere or expired.');
    } else {
      emit({ type: 'retry', reason: `Renewal failed (${error.message}); retrying in 5 s.` });
      schedule(5);
    }
    throw error;
  }
}

async function post(path, body, contentType) {
  let response;
  try {
    // Same-origin fetch sends the cookie and an Origin header, which the cookie-mode router checks.
    response = await fetch(AUTH + path, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  } catch {
    throw new AuthError(0, 'network', 'the server is unreachable');
  }
  emit({ type: 'request', method: 'POST', path: AUTH + path, status: response.status });
  const answer = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new AuthError(response.status, answer.error ?? 'server_error', answer.error_description ?? `HTTP ${response.status}`);
  return answer;
}

function accept(answer, reason) {
  accessToken = answer.access_token;
  lifetime = answer.expires_in;
  expiresAt = Date.now() + lifetime * 1000;
  // Renew a quarter of the lifetime before expiry (2 s to 30 s ahead, at most half of it).
  schedule(lifetime - Math.min(lifetime / 2, Math.max(2, Math.min(30, lifetime / 4))));
  emit({ type: 'token', reason });
}

function schedule(seconds) {
  clearTimeout(renewTimer);
  renewTimer = setTimeout(() => refresh('renewed before expiry').catch(() => undefined), seconds * 1000);
}

function forget(reason) {
  clearTimeout(renewTimer);
  const wasLoggedIn = accessToken !== null;
  accessToken = null;
  expiresAt = 0;
  if (wasLoggedIn) emit({ type: 'ended', reason });
}

function emit(event) {
  for (const listener of listeners) listener(event);
}
