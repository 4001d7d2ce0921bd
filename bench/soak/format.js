// The figures of a soak, printed and as Markdown for SOAK.md.
import { table } from '../measure.js';
import { percentile } from './recorder.js';

const STORE_NAMES = { sqlite: 'SQLite', redis: 'Redis' };

/** Prints the figures and end state of one soak; returns them as Markdown. */
export function formatSoak(report) {
  const processes = report.processes === 1 ? '1 app process' : `${report.processes} app processes`;
  const title = `${STORE_NAMES[report.store]}: ${processes}, ${report.clients} clients, ${report.seconds.toFixed(1)} s`;
  const figures = table(
    `${title}: figures`,
    ['endpoint', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'answers'],
    [
      ...report.figures.map((row) => [row.name, row.count, row.rps.toFixed(0), ms(row.p50), ms(row.p99), ms(row.max), statuses(row.statuses)]),
      ['all', report.total.count, report.total.rps.toFixed(0), '', '', '', ''],
    ],
  );
  const state = table(`${title}: end state`, ['check', 'result'], endState(report));
  return `${figures}\n${state}`;
}

function endState(report) {
  const { final, revocation, concurrent, fault } = report;
  const delays = [...revocation.delays].sort((a, b) => a - b);
  const rows = [
    ['5xx answers', String(report.samples().filter((sample) => sample.status >= 500).length)],
    ['clients logged in at the end', `${final.loggedIn} (${final.loggedOut} logged out)`],
    ['last refresh token of each logged-in client', `${final.loggedIn} refreshed, ${final.lostAtEnd} refused`],
    ['countActiveSessions (CLI)', String(final.activeSessions)],
    ['refresh tokens of acknowledged logouts', `${final.revokedChecked} presented, ${final.revokedAccepted} accepted`],
    ['two-tab refreshes (same token, at once)', `${concurrent.pairs} pairs, ${concurrent.bothGranted} with both answered 200`],
    [
      `revocation refused ${revocation.crossProcess ? 'by the other process' : 'by the process'}`,
      `${delays.length} measured: p50 ${ms(percentile(delays, 0.5))} ms, max ${ms(delays.at(-1) ?? 0)} ms`,
    ],
  ];
  if (fault !== undefined) rows.push(['fault', describeFault(fault)]);
  rows.push(['load average (1 min) before / after', `${report.load.before[0].toFixed(2)} / ${report.load.after[0].toFixed(2)}`]);
  const appCpu = report.cpu.apps.map((share) => `${Math.round(share * 100)}%`).join(' + ');
  rows.push(['CPU (share of one core): driver / app process(es)', `${Math.round(report.cpu.driver * 100)}% / ${appCpu}`]);
  rows.push(['problems', report.problems.length === 0 ? 'none' : report.problems.join('; ')]);
  return rows;
}

function describeFault(fault) {
  const at = `SIGKILL at ${(fault.killAt / 1_000).toFixed(1)} s, back at ${(fault.restartedAt / 1_000).toFixed(1)} s`;
  if (fault.kind === 'redis-kill') return `Redis ${at}`;
  return `app process ${at}; revoked access tokens presented after the restart: ${fault.revokedAccess.checked}, accepted ${fault.revokedAccess.accepted}`;
}

function statuses(counts) {
  return Object.entries(counts)
    .map(([status, count]) => `${status} × ${count}`)
    .join(', ');
}

function ms(value) {
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}
