// The demo page: a login form, then the token countdown, "who am I", the sessions and an activity log.
import { api, AuthError, login, logout, refresh, subscribe, tokenLife } from './token-client.js';

const $ = (selector) => document.querySelector(selector);

subscribe((event) => {
  if (event.type === 'token') {
    note(`New access token: ${event.reason}.`);
    if ($('#app-view').hidden) showApp();
  }
  if (event.type === 'retry') note(event.reason);
  if (event.type === 'request') note(`${event.method} ${event.path} → ${event.status}`, event.status >= 400);
  if (event.type === 'ended') showLogin(event.reason);
});

$('#login-form').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  const form = submit.currentTarget;
  form.querySelector('button').disabled = true;
  try {
    await login(form.username.value, form.password.value);
    form.password.value = '';
  } catch (error) {
    $('#login-error').textContent = describe(error);
  } finally {
    form.querySelector('button').disabled = false;
  }
});
$('#logout').addEventListener('click', () => logout().catch(() => undefined));
$('#renew').addEventListener('click', () => refresh('renewed on request').catch(() => undefined));
$('#call-api').addEventListener('click', () => loadMe());
$('#reload-sessions').addEventListener('click', () => loadSessions());
$('#sessions').addEventListener('click', (click) => {
  const button = click.target.closest('button[data-revoke]');
  if (button !== null) revokeSession(button.dataset.revoke);
});
setInterval(drawCountdown, 250);

refresh('page loaded with a live session').catch(() => {
  // Most often there is simply no refresh cookie yet (400): start the log afresh.
  $('#activity').replaceChildren();
  note('No live session in this browser yet.');
  showLogin('');
});

/** Shows the signed-in view (on every first token: a login, a reload with a live cookie). */
async function showApp() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#logout').hidden = false;
  await Promise.all([loadMe(), loadSessions()]);
}

function showLogin(message) {
  $('#app-view').hidden = true;
  $('#logout').hidden = true;
  $('#user').textContent = '';
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#login-form').username.focus();
}

async function loadMe() {
  const me = await json(api('GET', '/api/me'));
  if (me === undefined) return;
  $('#me-subject').textContent = me.subject;
  $('#me-scope').textContent = me.scope ?? '(none)';
  $('#me-session').textContent = me.sessionId;
  $('#me-expires').textContent = clock(me.expiresAt);
  $('#me-checked').textContent = clock(Date.now() / 1000);
  $('#user').textContent = `Signed in as ${me.subject}`;
}

async function loadSessions() {
  const answer = await json(api('GET', '/api/sessions'));
  if (answer === undefined) return;
  $('#sessions').replaceChildren(...answer.sessions.map(sessionItem));
  $('#session-count').textContent = String(answer.sessions.length);
}

async function revokeSession(id) {
  const response = await api('DELETE', `/api/sessions/${encodeURIComponent(id)}`).catch(() => undefined);
  if (response?.status === 204) note(`Revoked session ${id.slice(0, 8)}…`);
  await loadSessions();
}

function sessionItem(session) {
  const item = document.createElement('li');
  item.dataset.sessionId = session.id;
  const text = document.createElement('div');
  const title = document.createElement('strong');
  title.textContent = `${session.id.slice(0, 8)}…`;
  const detail = document.createElement('small');
  detail.textContent = `signed in ${clock(session.createdAt)} · renewed ${clock(session.refreshedAt)} · ends ${day(session.expiresAt)}`;
  text.append(title, ' ', ...(session.current ? [badge('this browser'), ' '] : []), detail);
  item.append(text);
  if (session.current) return item;
  const button = document.createElement('button');
  button.className = 'danger';
  button.dataset.revoke = session.id;
  button.textContent = 'Revoke';
  item.append(button);
  return item;
}

function badge(label) {
  const element = document.createElement('span');
  element.className = 'badge';
  element.textContent = label;
  return element;
}

/** The JSON of an API answer, or undefined after a failure (the log shows it; an ended session shows the login). */
async function json(request) {
  try {
    const response = await request;
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

function drawCountdown() {
  const { loggedIn, lifetime, remaining } = tokenLife();
  if (!loggedIn) return;
  $('#countdown').textContent = String(Math.ceil(remaining));
  $('#lifetime').textContent = String(lifetime);
  $('#countdown-bar').style.width = `${lifetime > 0 ? (100 * remaining) / lifetime : 0}%`;
}

function note(message, failed = false) {
  const entry = document.createElement('li');
  entry.className = failed ? 'failed' : '';
  const time = document.createElement('time');
  time.textContent = clock(Date.now() / 1000);
  entry.append(time, ' ', message);
  $('#activity').prepend(entry);
  while ($('#activity').children.length > 8) $('#activity').lastElementChild.remove();
}

function describe(error) {
  if (!(error instanceof AuthError)) return 'Something went wrong; try again.';
  if (error.code === 'invalid_credentials') return 'Wrong username or password.';
  if (error.status === 403) return `This page's origin (${location.origin}) is not allowed: open it at the address the server printed, or set TOKENLEASE_ORIGINS.`;
  if (error.status === 0) return 'The server is unreachable; try again in a moment.';
  return `The server refused: ${error.message}.`;
}

function clock(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function day(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleDateString([], { month: 'short', day: 'numeric' });
}
