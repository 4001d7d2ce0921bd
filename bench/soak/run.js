// npm run soak (node bench/soak/run.js): the Express example against SQLite, then against Redis
// (two app processes sharing it), driven by simulated clients; prints the figures and writes
// SOAK.md at the repository root. Build first (npm run build): the example loads dist/.
//   --duration <s>   seconds of load per store (default 60)
//   --clients <n>    simulated clients (default 200)
//   --stores <list>  sqlite,redis (default both)
//   --fault <name>   also inject a fault: redis-kill (Redis, at a third of the run, down 5 s) or app-kill (SQLite)
// Exits with 1 when an end condition fails.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULTS } from './faults.js';
import { formatSoak } from './format.js';
import { writeSoakReport } from './soak-report.js';
import { DEFAULTS, runSoak } from './soak.js';

export { runSoak } from './soak.js';

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: String(DEFAULTS.duration) },
      clients: { type: 'string', default: String(DEFAULTS.clients) },
      stores: { type: 'string', default: 'sqlite,redis' },
      fault: { type: 'string' },
    },
  });
  const duration = positive(values.duration, '--duration');
  const clients = positive(values.clients, '--clients');
  const stores = values.stores.split(',');
  if (stores.some((store) => store !== 'sqlite' && store !== 'redis')) throw new Error('--stores lists sqlite and/or redis');
  if (values.fault !== undefined && !FAULTS.includes(values.fault)) throw new Error(`--fault is one of ${FAULTS.join(', ')}`);
  const reports = [];
  for (const store of stores) {
    console.log(`\nSoak against ${store}: ${clients} clients for ${duration} s ...`);
    const fault = faultFor(values.fault, store, duration);
    const report = await runSoak({ store, duration, clients, ...(fault === undefined ? {} : { fault }) });
    reports.push({ report, markdown: formatSoak(report) });
  }
  writeSoakReport(reports, { duration, clients });
  const failed = reports.filter(({ report }) => report.problems.length > 0);
  console.log(failed.length === 0 ? '\nEvery end condition holds. SOAK.md written.' : '\nEnd conditions FAILED (see problems above). SOAK.md written.');
  process.exitCode = failed.length === 0 ? 0 : 1;
}

function faultFor(name, store, duration) {
  if (name === 'redis-kill' && store === 'redis') return { kind: name, at: duration / 3, downFor: 5 };
  if (name === 'app-kill' && store === 'sqlite') return { kind: name, at: duration / 3 };
  return undefined;
}

function positive(text, option) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option} must be a positive number`);
  return value;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
