// Requests per second of GET /api behind each authentication, per framework and traffic shape.
import { summarize } from '../measure.js';
import { freshTokens, load, reusedTokens } from './load.js';
import { startServer } from './server-process.js';
import { checkTokens, issuedTokens, signedTokens } from './tokens.js';

/** The frameworks, each with the server script of its name and its two configurations of the peer. */
export const FRAMEWORKS = [
  { name: 'express', label: 'Express 5', peers: ['express-jwt', 'express-jwt-keyobject'] },
  { name: 'koa', label: 'Koa 3', peers: ['koa-jwt', 'koa-jwt-keyobject'] },
];

/** The traffic shapes, and the status every answer must have. */
export const SHAPES = {
  realistic: { label: 'realistic', expect: 200 },
  worst: { label: 'worst case', expect: 200 },
  invalid: { label: '401 path', expect: 401 },
};

/** Live clients of the realistic shape, each reusing the token of its login. */
const CLIENTS = 1_000;

/**
 * Runs every framework: its servers start once and each gets `serverWarmup` seconds of
 * realistic traffic (a fresh Node server needs seconds of load before its JIT settles), then
 * each traffic shape alternates its variants (A B C A B C ...) for `rounds` runs of `seconds`,
 * the worst case and the 401 path after a warm-up of `warmup` seconds per variant.
 * `distinctTokens` bounds the worst-case token lists; `profileDir`, when set, makes the
 * tokenlease servers write a CPU profile there. Returns one row per measured variant.
 */
export async function benchHttp(settings) {
  const rows = [];
  for (const framework of FRAMEWORKS) rows.push(...(await benchFramework(framework, settings)));
  return rows;
}

async function benchFramework(framework, settings) {
  const authenticated = ['tokenlease', ...framework.peers, 'jose'];
  const tokens = {
    realistic: await issuedTokens(CLIENTS),
    worst: signedTokens(settings.distinctTokens),
    invalid: signedTokens(settings.distinctTokens, { badSignature: true }),
  };
  await checkTokens(tokens.worst);
  const servers = await startServers(framework.name, ['bare', ...authenticated], settings.profileDir);
  try {
    for (const server of servers.values()) {
      await load({ server, source: reusedTokens(tokens.realistic), seconds: settings.serverWarmup, expect: 200 });
    }
    const plan = [
      ['realistic', ['bare', ...authenticated]],
      ['worst', authenticated],
      ['invalid', authenticated],
    ];
    const rows = [];
    for (const [shape, variants] of plan) {
      console.log(`  ${framework.label}, ${SHAPES[shape].label}: ${variants.join(', ')}`);
      rows.push(...(await alternate(variants.map((variant) => servers.get(variant)), shape, tokens[shape], settings)));
    }
    return rows;
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
}

async function startServers(framework, variants, profileDir) {
  const started = await Promise.all(
    variants.map((variant) => {
      const profile = profileDir !== undefined && variant === 'tokenlease';
      const execArgv = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=tokenlease-${framework}.cpuprofile`] : [];
      return startServer(framework, variant, { execArgv });
    }),
  );
  return new Map(started.map((server) => [server.variant, server]));
}

/** Alternates the servers round by round; on fresh tokens each server keeps its own cursor, so none repeats. */
async function alternate(servers, shape, headers, { rounds, seconds, warmup }) {
  const { expect } = SHAPES[shape];
  const sources = servers.map(() => (shape === 'realistic' ? reusedTokens(headers) : freshTokens(headers)));
  const samples = servers.map(() => []);
  if (shape !== 'realistic') {
    for (const [index, server] of servers.entries()) await load({ server, source: sources[index], seconds: warmup, expect });
  }
  for (let round = 0; round < rounds; round++) {
    for (const [index, server] of servers.entries()) samples[index].push(await load({ server, source: sources[index], seconds, expect }));
  }
  return servers.map((server, index) => ({
    framework: server.framework,
    shape,
    variant: server.variant,
    ...summarize(server.variant, samples[index].map((sample) => sample.rate)),
    p99: summarize('p99', samples[index].map((sample) => sample.p99)).median,
    cpuPerRequest: summarize('cpu', samples[index].map((sample) => sample.cpuPerRequest)).median,
    repeated: sources[index].repeated,
  }));
}
