// BENCHMARKS.md: the machine, the method, the targets, then every table of the run.
import { writeFileSync } from 'node:fs';

/** Writes BENCHMARKS.md at the repository root from the Markdown tables of one run. */
export function writeReport({ quick, minutes, settings, machine, targets, http, core, stores, registry }) {
  const mode = quick ? ' in quick mode (BENCH_QUICK=1: one short run per variant; a smoke test, not figures to quote)' : '';
  const text = [
    '# Benchmarks\n',
    `Written by \`npm run bench\`${mode}, in ${minutes.toFixed(1)} minutes. Build first (\`npm run build\`): the benchmark`,
    'imports the built package from `dist/`.\n',
    '## Setting\n',
    machine,
    method(settings),
    '## Targets\n',
    targets,
    '## HTTP\n',
    http,
    '## Core figures (same run)\n',
    core,
    stores,
    registry,
  ].join('\n');
  writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), text);
}

function method({ http: { rounds, seconds, serverWarmup, warmup, distinctTokens }, sessions }) {
  return `### Method

- Each server runs in its own process (\`child_process.fork\` of \`bench/http/servers/express.js\` or \`koa.js\`
  with the variant's name), listening on 127.0.0.1; autocannon drives it from the benchmark's process with
  10 connections. Every answer must have the expected status (200, or 401 on the 401 path), else the run fails.
- Each server first gets ${serverWarmup} s of realistic traffic: a fresh Node server needs seconds of load before its JIT
  settles. Then, per framework and traffic shape, the variants alternate (A B C A B C ...): ${rounds} run(s) of ${seconds} s
  each, the worst case and the 401 path after a warm-up of ${warmup} s per variant. Figures are medians, with the range of
  the runs. A ratio between two variants of one traffic shape (the "vs reference" column and the targets) is the
  median of the ratios of the rounds: in each round the variants ran back to back, so a slow or fast spell of the
  machine, which on a shared 2-core VM can halve a run, moves both alike. "server CPU µs/req"
  is the server process's CPU time (user and system, all threads) divided by the requests it answered: a second
  view of the same runs, which leaves out time the server spent waiting, so the targets also show their ratio by it.
- The "empty middleware" sets a constant \`auth\` and calls \`next\`: what one more layer costs in the framework, the
  most any authentication middleware can reach.
- The route answers \`{ ok: true, sub }\` (the bare route \`{ ok: true }\`). All variants share one HS256 secret;
  tokenlease and the hand-written jose middleware also check issuer and audience, the peers as documented do not.
- Realistic traffic: 1,000 live clients, each reusing the access token of its login (issued by tokenlease); every
  connection cycles through the 1,000 prebuilt requests. Worst case: every request carries a token never seen
  before (${distinctTokens.toLocaleString('en-US')} distinct tokens of tokenlease's shape signed with node:crypto HMAC, one cursor per
  server shared by its connections, so each server gets the same tokens and none twice). 401 path: the same with
  every signature altered (distinct tokens with a bad signature); each 401 run is followed by a 200 run of the same
  server on fresh valid tokens (its worst-case list, further on), and "its 200" is the median ratio of these pairs:
  the 401 path is compared with the worst-case 200 path, since a refused token is never cached.
- express-jwt 8: \`expressjwt({ secret, algorithms: ['HS256'] })\` with the string secret (as documented) and with
  \`crypto.createSecretKey(...)\`; its \`UnauthorizedError\` goes to an error handler that answers 401.
- koa-jwt 4: \`koaJwt({ secret })\` with the string secret (as documented), and with the KeyObject passed as
  \`secret\` directly: koa-jwt hands a non-function secret to jsonwebtoken 9 unchanged, and jsonwebtoken takes
  a KeyObject as it is, so no secret function is needed.
- jose: a 10-line middleware calling \`jwtVerify(token, cryptoKey, { issuer, audience })\` with a WebCrypto key
  imported once at start.
- Core figures run in the benchmark's process after the HTTP part: the registry against a naive Map scan;
  \`issue\`, \`refresh\` and \`verify\` against raw jose; \`refresh\` on SQLite and Redis (a redis-server started
  for it) alternating with raw jose \`SignJWT\`; heap per live session in \`MemoryStore\` at ${sessions.toLocaleString('en-US')} sessions.
`;
}
