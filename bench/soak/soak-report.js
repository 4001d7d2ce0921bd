// SOAK.md: the machine, the method, then the figures and end state of each soak of one run.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machineFacts } from '../machine.js';
import { table } from '../measure.js';
import { DEFAULTS } from './soak.js';

/** Writes SOAK.md at the repository root from the soaks of one `npm run soak`. */
export function writeSoakReport(reports, { duration, clients }) {
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
  const machine = table('Machine', ['fact', 'value'], [...machineFacts(), ['load average (1, 5, 15 min) at the end', load]]);
  const text = [
    '# Soak\n',
    `Written by \`npm run soak\` (\`node bench/soak/run.js --duration ${duration} --clients ${clients}\`). Build first`,
    '(`npm run build`): the example and the CLI load the built package from `dist/`. The 10-second version runs in CI',
    'as `test/reliability/soak.test.ts`, the faults as the other tests of `test/reliability/`.\n',
    '## Setting\n',
    machine,
    method(),
    '## Results\n',
    ...reports.map(({ markdown }) => markdown),
  ].join('\n');
  writeFileSync(new URL('../../SOAK.md', import.meta.url), text);
}

function method() {
  const [thinkMin, thinkMax] = DEFAULTS.thinkMs;
  return `### Method

- The Express example (\`examples/express/server.js\`, its \`createApp\`) runs in child processes
  (\`bench/soak/app-server.js\`), each on 127.0.0.1, with access tokens of ${DEFAULTS.accessTtl} s so that refreshes are
  frequent. SQLite: one process on a fresh file. Redis: a fresh redis-server (\`--appendonly yes --appendfsync always\`)
  shared by two app processes with one issuer and secret; each client alternates between the two processes, request
  by request, so a refresh on one is followed by API calls on the other.
- Each simulated client, in the driver's process over node's http with keep-alive agents: logs in (\`POST /auth/login\`,
  JSON, as alice or bob: each login is its own session), calls \`GET /api/me\` with ${thinkMin}-${thinkMax} ms between
  calls, refreshes (\`POST /auth/token\`) once half of the access token's lifetime has passed, in ${DEFAULTS.twoTabShare * 100}%
  of the cases with two requests at once carrying the same refresh token (two tabs; with Redis one to each process: both
  must get the same new refresh token). After ${DEFAULTS.logoutShare * 100}% of its refreshes it logs out, alternately with
  \`POST /auth/logout\` (204) and \`POST /auth/revoke\` (200), then polls \`GET /api/me\` with the revoked access token on
  the other process (the same one with SQLite) until it answers 401, and logs in again within ${DEFAULTS.reloginPauseMs / 1_000} s.
  A 503 is retried after its \`Retry-After\`. A request reset on a reused keep-alive connection before any answer (the
  server closed it as idle as the request left) is sent once more on a new connection, as browsers do.
- At the end: the last refresh token of every client still logged in is refreshed once more (each must work); every
  refresh token of an acknowledged logout is presented (each must be refused); the live sessions are counted with
  \`tokenlease sessions count --store ...\` and must equal the clients logged in.
- Latency is measured by the driver, from sending a request to the end of its answer. "me-revoked" are the polls
  after a logout (the last of each is the 401). The driver, the app processes and redis-server share the machine,
  which may also be running other work: each end-state table gives the load average before and after, and the CPU
  time the driver and each app process used.
`;
}
