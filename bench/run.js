// npm run bench (node --expose-gc bench/run.js): the HTTP comparison of Express and Koa, the core
// figures, the targets; writes BENCHMARKS.md at the repository root. Build first (npm run build).
//   BENCH_QUICK=1          smoke run: 1 run of 1 s per HTTP variant, fewer store refreshes
//   BENCH_SESSIONS=n       sessions of the heap figure (default 1,000,000)
//   BENCH_CPU_PROF=<dir>   the tokenlease servers write a CPU profile (--cpu-prof) into <dir>
import { performance } from 'node:perf_hooks';
import { benchCore } from './core.js';
import { benchHttp } from './http/bench-http.js';
import { httpTable } from './http/http-table.js';
import { machineFacts } from './machine.js';
import { table } from './measure.js';
import { benchRegistry, registryTable } from './registry.js';
import { writeReport } from './report.js';
import { benchStoreRefresh } from './store-refresh.js';
import { checkTargets, targetsTable } from './targets.js';

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  http: quick
    ? { rounds: 1, seconds: 1, serverWarmup: 2, warmup: 0.5, distinctTokens: 50_000 }
    : { rounds: 9, seconds: 1, serverWarmup: 3, warmup: 1, distinctTokens: 400_000 },
  stores: quick ? { rounds: 1, refreshes: 2_000 } : { rounds: 5, refreshes: 5_000 },
  sessions: Number(process.env.BENCH_SESSIONS ?? 1_000_000),
};
const profileDir = process.env.BENCH_CPU_PROF || undefined;

const started = performance.now();
const machine = machineFacts();
const machineMarkdown = table('Machine', ['fact', 'value'], machine);
console.log(`\nHTTP: ${settings.http.rounds} run(s) of ${settings.http.seconds} s per variant, alternating`);
const http = await benchHttp({ ...settings.http, profileDir });
const httpMarkdown = httpTable(http);
const registryMarkdown = registryTable(await benchRegistry());
const stores = await benchStoreRefresh(settings.stores);
const core = await benchCore({ sessions: settings.sessions });
const targets = checkTargets({ http, core: core.figures, stores: stores.figures, sessions: settings.sessions });
const targetsMarkdown = targetsTable(targets);
const minutes = (performance.now() - started) / 60_000;
console.log(`\n${targets.filter((target) => target.met).length} of ${targets.length} targets met; ${minutes.toFixed(1)} min`);
if (profileDir !== undefined) console.log(`CPU profiles of the tokenlease servers: ${profileDir}`);

writeReport({
  quick,
  minutes,
  settings,
  machine: machineMarkdown,
  targets: targetsMarkdown,
  http: httpMarkdown,
  core: core.markdown,
  stores: stores.markdown,
  registry: registryMarkdown,
});
