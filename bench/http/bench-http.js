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
  const servers = await startServers(framework.name, ['bare', 'empty', ...authenticated], settings.profileDir);
  try {
    for (const server of servers.values()) {
      await load({ server, source: reusedTokens(tokens.realistic), seconds: settings.serverWarmup, expect: 200 });
    }
    // On fresh tokens each server keeps its own cursor, so none repeats; the 401 path's rounds go on
    // drawing from the worst-case cursors for the 200 run they are paired with.
    const realistic = ['bare', 'empty', ...authenticated].map((variant) => [servers.get(variant), reusedTokens(tokens.realistic)]);
    const worst = authenticated.map((variant) => [servers.get(variant), freshTokens(tokens.worst)]);
    const invalid = authenticated.map((variant) => [servers.get(variant), freshTokens(tokens.invalid)]);
    const rows = [];
    for (const [shape, runs, paired] of [['realistic', realistic], ['worst', worst], ['invalid', invalid, worst]]) {
      console.log(`  ${framework.label}, ${SHAPES[shape].label}: ${runs.map(([server]) => server.variant).join(', ')}`);
      rows.push(...(await alternate(runs, shape, settings, paired)));
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

/**
 * Alternates the servers round by round, each with its token source. With `paired` (the 401
 * path), each 401 run is followed by a 200 run of the same server on its worst-case source, so
 * that the 401 path is compared with the 200 path round by round (`paired200` of the row).
 */
async function alternate(runs, shape, { rounds, seconds, warmup }, paired) {
  const { expect } = SHAPES[shape];
  const samples = runs.map(() => []);
  const pairedSamples = runs.map(() => []);
  if (shape !== 'realistic') {
    for (const [server, source] of runs) await load({ server, source, seconds: warmup, expect });
  }
  for (let round = 0; round < rounds; round++) {
    for (const [index, [server, source]] of runs.entries()) {
      samples[index].push(await load({ server, source, seconds, expect }));
      if (paired !== undefined) pairedSamples[index].push(await load({ server, source: paired[index][1], seconds, expect: 200 }));
    }
  }
  return runs.map(([server, source], index) => ({
    framework: server.framework,
    shape,
    variant: server.variant,
    ...perRound(samples[index]),
    paired200: paired === undefined ? undefined : perRound(pairedSamples[index]),
    repeated: source.repeated || (paired !== undefined && paired[index][1].repeated),
  }));
}

/** The figures of a variant's runs: medians and range, and per round (for the paired ratios of http-table.js `ratio`). */
function perRound(samples) {
  const rates = samples.map((sample) => sample.rate);
  const cpus = samples.map((sample) => sample.cpuPerRequest);
  return {
    ...summarize('runs', rates),
    p99: summarize('p99', samples.map((sample) => sample.p99)).median,
    cpuPerRequest: summarize('cpu', cpus).median,
    rates,
    cpus,
  };
}
