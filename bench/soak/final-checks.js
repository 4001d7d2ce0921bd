// What the soak checks once its clients stop: no session lost, no revocation undone, the count.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { send } from './http-client.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/src/cli/bin.js', import.meta.url));

/**
 * Refreshes the last refresh token of every client still logged in (each must
 * work), and presents every refresh token of an acknowledged logout (each must
 * be refused). Returns the counts; each miss is also pushed to `ctx.failures`.
 */
export async function finalChecks(ctx, clients) {
  const target = ctx.targets[0];
  const refresh = (token) => send(target, { method: 'POST', path: '/auth/token', form: { grant_type: 'refresh_token', refresh_token: token } });
  const fail = (kind, client, detail) => ctx.failures.push({ kind, client, detail, at: Math.round(performance.now() - ctx.origin) });
  let lost = 0;
  await inBatches(clients.filter((client) => client.session !== undefined), async (client) => {
    const answer = ctx.recorder.record('final-refresh', await refresh(client.session.refresh));
    if (answer.status === 200) return;
    lost++;
    client.session = undefined;
    fail('session-lost', client.id, `the last refresh token was refused at the end: ${answer.status} ${answer.body?.error ?? answer.error}`);
  });
  let accepted = 0;
  await inBatches(ctx.revoked, async (revoked) => {
    const answer = ctx.recorder.record('final-revoked', await refresh(revoked.refresh));
    if (answer.status === 400 && answer.body?.error === 'invalid_grant') return;
    accepted++;
    fail('revocation-undone', undefined, `the refresh token of a logged-out session answered ${answer.status}`);
  });
  const loggedIn = clients.filter((client) => client.session !== undefined).length;
  return {
    loggedIn,
    loggedOut: clients.length - loggedIn,
    lostAtEnd: lost,
    revokedChecked: ctx.revoked.length,
    revokedAccepted: accepted,
    uncertainLogins: clients.reduce((sum, client) => sum + client.uncertainLogins, 0),
  };
}

/**
 * The revoked access tokens not yet expired, presented to `target` (an app
 * process that has just restarted): each must still be refused.
 */
export async function checkRevokedAccess(ctx, target) {
  const live = ctx.revoked.filter((revoked) => revoked.usableUntil > performance.now() + 100);
  let accepted = 0;
  await inBatches(live, async ({ access }) => {
    const answer = await send(target, { path: '/api/me', headers: { authorization: `Bearer ${access}` } });
    if (answer.status !== 200) return;
    accepted++;
    ctx.failures.push({ kind: 'revoked-access-token-accepted-after-restart', detail: 'a restarted app process accepted the access token of a session revoked before its crash', at: Math.round(performance.now() - ctx.origin) });
  });
  return { checked: live.length, accepted };
}

/** Live sessions in the store, as the operator's CLI counts them: `tokenlease sessions count --store ...`. */
export async function countSessions(store) {
  const { stdout } = await run(process.execPath, [CLI, 'sessions', 'count', '--store', store]);
  return Number(stdout.trim());
}

async function inBatches(items, check, size = 20) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(check));
}
