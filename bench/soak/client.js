// One simulated client of the soak: logs in, calls the API, refreshes before its access token
// expires (sometimes from two tabs at once), logs out now and then, and logs in again.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryAfterOf, send } from './http-client.js';

const USERS = [
  { username: 'alice', password: 'alice-password' },
  { username: 'bob', password: 'bob-password' },
];

/** A refresh starts once this share of the access token's lifetime has passed. */
const REFRESH_AT = 0.5;
/** The API is not called with a token this close to its expiry (the request takes time to arrive). */
const EXPIRY_MARGIN_MS = 500;
/** How long a revoked access token may still be accepted by another process. */
const REVOCATION_POLL_LIMIT_MS = 3_000;
/** Pause after a failed request without `Retry-After` (a refused connection while an app restarts). */
const RETRY_PAUSE_MS = 200;

/**
 * A client of the soak. `ctx` holds the app processes (`targets`, visited in
 * turn), the recorder, the settings, the moments of injected faults and the
 * shared findings (`failures`, `revoked`, `revocationDelays`, `concurrent`).
 */
export class SimulatedClient {
  /** The session the client holds: its tokens and when to refresh, or undefined when logged out. */
  session = undefined;
  /** Logins that failed while a fault struck: the store may hold a session nobody knows of. */
  uncertainLogins = 0;
  #ctx;
  #user;
  #turn;
  #logouts = 0;

  constructor(id, ctx) {
    this.#ctx = ctx;
    this.#user = USERS[id % USERS.length];
    this.#turn = id;
    this.id = id;
  }

  /** Runs until the soak's end; the step under way finishes, so the client's state stays known. */
  async run() {
    await this.#pause(Math.random() * 1_000);
    while (!this.#stopping()) await this.#step();
  }

  async #step() {
    const session = this.session;
    if (session === undefined) return this.#login();
    if (session.logoutDue) return this.#logout();
    const now = performance.now();
    if (now >= session.refreshAt) return this.#refresh();
    if (now < session.usableUntil) await this.#callApi();
    const { thinkMs } = this.#ctx.settings;
    await this.#pause(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
  }

  async #login() {
    const answer = this.#record('login', await send(this.#next(), { method: 'POST', path: '/auth/login', json: this.#user }));
    if (answer.status === 200) {
      this.session = sessionFrom(answer);
      return;
    }
    if (this.#ctx.faultStruckDuring(answer)) this.uncertainLogins++;
    await this.#afterFailure('login', answer);
  }

  async #refresh() {
    const { refresh } = this.session;
    const first = this.#next();
    const twoTabs = Math.random() < this.#ctx.settings.twoTabShare;
    const targets = twoTabs ? [first, this.#other(first)] : [first];
    const form = { grant_type: 'refresh_token', refresh_token: refresh };
    const answers = await Promise.all(targets.map(async (target) => this.#record('refresh', await send(target, { method: 'POST', path: '/auth/token', form }))));
    const granted = answers.filter((answer) => answer.status === 200);
    const refused = answers.find((answer) => answer.status === 400 || answer.status === 401);
    if (twoTabs) this.#checkTwoTabs(answers, granted);
    if (granted.length > 0 && refused === undefined) {
      this.session = { ...sessionFrom(granted[0]), logoutDue: Math.random() < this.#ctx.settings.logoutShare };
      return;
    }
    if (refused !== undefined) {
      this.#fail('session-lost', `refresh answered ${refused.status} ${refused.body?.error_description ?? ''}`);
      this.session = undefined;
      return;
    }
    this.session.refreshAt = performance.now() + this.#waitAfter('refresh', answers[0]);
  }

  #checkTwoTabs(answers, granted) {
    this.#ctx.concurrent.pairs++;
    if (granted.length < 2) return;
    this.#ctx.concurrent.bothGranted++;
    if (granted[0].body.refresh_token !== granted[1].body.refresh_token) this.#fail('two-tabs-diverged', 'two refreshes with one token got different tokens');
  }

  async #callApi() {
    const headers = { authorization: `Bearer ${this.session.access}` };
    const answer = this.#record('me', await send(this.#next(), { path: '/api/me', headers }));
    if (answer.status === 200) {
      if (answer.body.subject !== this.#user.username) this.#fail('wrong-subject', `got ${answer.body.subject}`);
      return;
    }
    if (answer.status === 401) {
      this.#fail('access-refused', answer.body?.error_description ?? '401');
      this.session.refreshAt = 0;
      return;
    }
    await this.#afterFailure('me', answer);
  }

  async #logout() {
    const target = this.#next();
    const viaRevoke = (this.id + this.#logouts) % 2 === 1;
    const { access, refresh, usableUntil } = this.session;
    const answer = viaRevoke
      ? this.#record('revoke', await send(target, { method: 'POST', path: '/auth/revoke', form: { token: refresh } }))
      : this.#record('logout', await send(target, { method: 'POST', path: '/auth/logout', form: { refresh_token: refresh } }));
    if (answer.status !== (viaRevoke ? 200 : 204)) return this.#afterFailure(viaRevoke ? 'revoke' : 'logout', answer);
    this.#logouts++;
    this.session = undefined;
    const revokedAt = answer.started + answer.ms;
    this.#ctx.revoked.push({ refresh, access, usableUntil, revokedAt });
    await this.#measureRevocation(this.#other(target), access, usableUntil, revokedAt);
    await this.#pause(Math.random() * this.#ctx.settings.reloginPauseMs);
  }

  /** Polls the API of the other process with the revoked access token until it is refused. */
  async #measureRevocation(target, access, usableUntil, revokedAt) {
    const headers = { authorization: `Bearer ${access}` };
    for (;;) {
      const answer = this.#record('me-revoked', await send(target, { path: '/api/me', headers }));
      const now = answer.started + answer.ms;
      if (answer.status === 401) {
        const description = answer.body?.error_description ?? '';
        if (/revoked/.test(description)) this.#ctx.revocationDelays.push(now - revokedAt);
        else this.#fail('revocation-unmeasured', `the revoked token was refused as: ${description}`);
        return;
      }
      if (now - revokedAt > REVOCATION_POLL_LIMIT_MS || now > usableUntil) {
        this.#fail('revocation-not-applied', `a revoked access token was still accepted ${Math.round(now - revokedAt)} ms later`);
        return;
      }
      await sleep(10);
    }
  }

  async #afterFailure(endpoint, answer) {
    await this.#pause(this.#waitAfter(endpoint, answer));
  }

  /** Milliseconds to wait after an answer that was not a success: its Retry-After, or a short pause. */
  #waitAfter(endpoint, answer) {
    if (answer.status === 503) return (retryAfterOf(answer) ?? 1) * 1_000;
    if (answer.status !== 0 && answer.status < 500) this.#fail('unexpected-status', `${endpoint} answered ${answer.status}`);
    return RETRY_PAUSE_MS;
  }

  #record(endpoint, answer) {
    return this.#ctx.recorder.record(endpoint, answer);
  }

  #fail(kind, detail) {
    this.#ctx.failures.push({ kind, client: this.id, detail, at: Math.round(performance.now() - this.#ctx.origin) });
  }

  /** The next app process in turn: a client alternates between them. */
  #next() {
    const targets = this.#ctx.targets;
    return targets[this.#turn++ % targets.length];
  }

  #other(target) {
    const targets = this.#ctx.targets;
    return targets[(targets.indexOf(target) + 1) % targets.length];
  }

  #stopping() {
    return performance.now() >= this.#ctx.stopAt;
  }

  /** Sleeps, but not past the end of the soak. */
  #pause(ms) {
    return sleep(Math.max(0, Math.min(ms, this.#ctx.stopAt - performance.now())));
  }
}

/**
 * The session held after a login or refresh answer. Its times come from the access token's own
 * `exp` (the server counts whole seconds, and an answer may take a while), turned into this
 * process's monotonic clock: a refresh once half the lifetime has passed, no API call within
 * `EXPIRY_MARGIN_MS` of the expiry.
 */
function sessionFrom(answer) {
  const { access_token: access, refresh_token: refresh, expires_in: expiresIn } = answer.body;
  const { exp } = JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString());
  const expiresAt = performance.now() + (exp * 1_000 - Date.now());
  return { access, refresh, refreshAt: expiresAt - expiresIn * 1_000 * (1 - REFRESH_AT), usableUntil: expiresAt - EXPIRY_MARGIN_MS, logoutDue: false };
}
