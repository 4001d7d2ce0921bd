// One soak: the Express example in child processes against one store, simulated clients for a
// while, an optional fault, then the end checks. `runSoak` is what `npm run soak` and the
// reliability tests call.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from './app-process.js';
import { checkSoak } from './checks.js';
import { SimulatedClient } from './client.js';
import { injectFault } from './faults.js';
import { countSessions, finalChecks } from './final-checks.js';
import { createTarget } from './http-client.js';
import { Recorder } from './recorder.js';
import { startRedis } from './redis-process.js';

/** The settings of a soak that the caller does not give. */
export const DEFAULTS = {
  duration: 60,
  clients: 200,
  accessTtl: 5,
  reuseInterval: 5,
  thinkMs: [50, 150],
  twoTabShare: 0.25,
  logoutShare: 0.1,
  reloginPauseMs: 2_000,
};

/**
 * Runs one soak against `store` ('sqlite' or 'redis') with `processes` app
 * processes (clients alternate between them) for `duration` seconds, with an
 * optional `fault` ({ kind: 'redis-kill', at, downFor } or { kind: 'app-kill', at }).
 * Its files (the SQLite database, Redis's append-only files) live in a temporary
 * directory removed at the end, or in `dir`, which is kept.
 * Resolves with the report: figures per endpoint, the end state, the
 * revocation delays, the fault's moments, and `problems` (empty when every end
 * condition holds). Needs `npm run build` first (the example and the CLI load `dist/`).
 */
export async function runSoak(options) {
  const settings = { ...DEFAULTS, processes: options.store === 'redis' ? 2 : 1, ...options };
  const dir = settings.dir ?? mkdtempSync(join(tmpdir(), 'tokenlease-soak-'));
  const cleanup = settings.dir === undefined ? [() => rmSync(dir, { recursive: true, force: true })] : [];
  try {
    const redis = settings.store === 'redis' ? await startRedis({ dir }) : undefined;
    if (redis !== undefined) cleanup.unshift(() => redis.stop());
    const sqlitePath = redis === undefined ? join(dir, 'soak.db') : undefined;
    const store = redis?.url ?? `sqlite:${sqlitePath}`;
    const appSettings = { store, secret: randomBytes(32).toString('base64url'), issuer: 'http://soak.tokenlease.test', accessTtl: settings.accessTtl, reuseInterval: settings.reuseInterval };
    const apps = await Promise.all(Array.from({ length: settings.processes }, () => startApp(appSettings)));
    cleanup.unshift(() => Promise.all(apps.map((app) => app.stop())));
    const targets = apps.map((app) => createTarget(app.port, { maxSockets: settings.clients }));
    cleanup.unshift(() => targets.forEach((target) => target.close()));
    const report = await drive(settings, { targets, apps, redis, store, sqlitePath });
    return { ...report, problems: checkSoak(report) };
  } finally {
    for (const step of cleanup) await step();
  }
}

async function drive(settings, { targets, apps, redis, store, sqlitePath }) {
  const origin = performance.now();
  const ctx = {
    settings,
    targets,
    origin,
    stopAt: origin + settings.duration * 1_000,
    recorder: new Recorder(origin),
    faultMoments: [],
    failures: [],
    revoked: [],
    revocationDelays: [],
    concurrent: { pairs: 0, bothGranted: 0 },
    faultStruckDuring: (answer) => ctx.faultMoments.some((moment) => moment >= answer.started - origin && moment <= answer.started + answer.ms - origin),
  };
  const loadBefore = loadavg();
  const driverCpuBefore = process.cpuUsage();
  const appCpuBefore = await Promise.all(apps.map((app) => app.cpuSeconds()));
  const clients = Array.from({ length: settings.clients }, (_, id) => new SimulatedClient(id, ctx));
  const faultRun = settings.fault === undefined ? Promise.resolve(undefined) : injectFault(settings.fault, { ctx, redis, apps, sqlitePath });
  await Promise.all(clients.map((client) => client.run()));
  const seconds = (performance.now() - origin) / 1_000;
  const fault = await faultRun;
  const driverCpu = process.cpuUsage(driverCpuBefore);
  const appCpu = await Promise.all(apps.map(async (app, index) => (await app.cpuSeconds()) - (appCpuBefore[index] ?? 0)));
  const figures = ctx.recorder.figures(seconds);
  const final = await finalChecks(ctx, clients);
  return {
    store: settings.store,
    processes: settings.processes,
    clients: settings.clients,
    accessTtl: settings.accessTtl,
    seconds,
    figures,
    total: { count: figures.reduce((sum, row) => sum + row.count, 0), rps: figures.reduce((sum, row) => sum + row.rps, 0) },
    final: { ...final, activeSessions: await countSessions(store) },
    revocation: { crossProcess: targets.length > 1, delays: ctx.revocationDelays },
    concurrent: ctx.concurrent,
    failures: ctx.failures,
    fault,
    samples: (endpoint, from, to) => ctx.recorder.samples(endpoint, from, to),
    load: { before: loadBefore, after: loadavg() },
    // Shares of one core over the run; an app process restarted by a fault counts from its restart.
    cpu: { driver: (driverCpu.user + driverCpu.system) / 1e6 / seconds, apps: appCpu.map((cpu) => Math.max(0, cpu) / seconds) },
  };
}
