// The HTTP results as one table: every framework, traffic shape and variant.
import { rate, summarize, table } from '../measure.js';
import { FRAMEWORKS, SHAPES } from './bench-http.js';

/** What each variant name stands for. */
export const VARIANT_LABELS = {
  bare: 'bare route (no authentication)',
  empty: 'empty middleware (checks nothing: the ceiling)',
  tokenlease: 'tokenlease authenticate',
  'express-jwt': 'express-jwt, string secret (as documented)',
  'express-jwt-keyobject': 'express-jwt, KeyObject secret',
  'koa-jwt': 'koa-jwt, string secret (as documented)',
  'koa-jwt-keyobject': 'koa-jwt, KeyObject secret',
  jose: 'hand-written jose middleware (CryptoKey)',
};

/** Looks up one measured variant. */
export function findRow(rows, framework, shape, variant) {
  const row = rows.find((entry) => entry.framework === framework && entry.shape === shape && entry.variant === variant);
  if (row === undefined) throw new Error(`no HTTP result for ${framework} ${shape} ${variant}`);
  return row;
}

/**
 * How `row` compares with `base`, in requests per second and in server CPU per request (how
 * much less CPU it takes): the median of the ratios of the rounds. Within one traffic shape the
 * variants ran back to back in every round; a 401 row is compared with the 200 runs of the same
 * server paired with its own rounds (`paired200`), not with the worst-case row. A slow or fast
 * spell of the machine so moves both runs of a ratio alike.
 */
export function ratio(row, base) {
  const reference = row.shape === base.shape ? base : row.variant === base.variant ? row.paired200 : undefined;
  if (reference === undefined) throw new Error(`${row.variant} (${row.shape}) has no runs paired with ${base.variant} (${base.shape})`);
  const median = (of) => summarize('ratio', row.rates.map((_, round) => of(round))).median;
  return {
    rate: median((round) => row.rates[round] / reference.rates[round]),
    byCpu: median((round) => reference.cpus[round] / row.cpus[round]),
  };
}

/** Prints the table and returns its Markdown. The last column relates each row to its shape's reference. */
export function httpTable(rows) {
  const cells = rows.map((row) => {
    const label = FRAMEWORKS.find((framework) => framework.name === row.framework).label;
    return [
      label,
      SHAPES[row.shape].label,
      `${VARIANT_LABELS[row.variant]}${row.repeated ? ' (tokens repeated)' : ''}`,
      rate(row.median),
      `${rate(row.min)}-${rate(row.max)}`,
      String(row.p99),
      row.cpuPerRequest.toFixed(0),
      reference(rows, row),
    ];
  });
  const header = ['framework', 'traffic', 'variant', 'req/s (median)', 'min-max', 'p99 ms', 'server CPU µs/req', 'vs reference'];
  return table('HTTP: GET /api, 10 connections on loopback', header, cells);
}

function reference(rows, row) {
  const [base, name] =
    row.shape === 'realistic' ? [findRow(rows, row.framework, 'realistic', 'bare'), 'bare']
    : row.shape === 'worst' ? [findRow(rows, row.framework, 'worst', 'jose'), 'jose']
    : [findRow(rows, row.framework, 'worst', row.variant), 'its 200'];
  return `${ratio(row, base).rate.toFixed(2)}x ${name}`;
}
