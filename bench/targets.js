// The targets of the benchmark issue, each beside the ratio this run measured.
import { table } from './measure.js';
import { findRow, ratio } from './http/http-table.js';

/**
 * One row per target: what it asks, the measured figure and ✔ or ✘. `http` are the rows of
 * benchHttp (HTTP ratios are medians of the per-round ratios, see http-table.js `ratio`, also
 * given by server CPU time per request); `core` and `stores` the figures of benchCore and
 * benchStoreRefresh.
 */
export function checkTargets({ http, core, stores, sessions }) {
  const over = (framework, shape, variant, reference, referenceShape = shape) => {
    const base = findRow(http, framework, referenceShape, reference);
    const { rate, byCpu } = ratio(findRow(http, framework, shape, variant), base);
    // On realistic traffic, the same ratio for a middleware that checks nothing: the most any can reach.
    const ceiling = shape === 'realistic' ? ratio(findRow(http, framework, shape, 'empty'), base).rate : undefined;
    return { ratio: rate, byCpu, ceiling };
  };
  return [
    atLeast('Express, realistic', 'bare route', over('express', 'realistic', 'tokenlease', 'bare'), 0.9),
    atLeast('Express, realistic', 'express-jwt as documented', over('express', 'realistic', 'tokenlease', 'express-jwt'), 4),
    atLeast('Express, realistic', 'express-jwt with a KeyObject', over('express', 'realistic', 'tokenlease', 'express-jwt-keyobject'), 1.1),
    atLeast('Koa, realistic', 'bare route', over('koa', 'realistic', 'tokenlease', 'bare'), 0.8),
    atLeast('Koa, realistic', 'koa-jwt as documented', over('koa', 'realistic', 'tokenlease', 'koa-jwt'), 10),
    atLeast('Koa, realistic', 'koa-jwt with a KeyObject', over('koa', 'realistic', 'tokenlease', 'koa-jwt-keyobject'), 2),
    atLeast('Express, worst case', 'hand-written jose middleware', over('express', 'worst', 'tokenlease', 'jose'), 1),
    atLeast('Koa, worst case', 'hand-written jose middleware', over('koa', 'worst', 'tokenlease', 'jose'), 1),
    atLeast('Express, 401 path', 'its 200 path (worst case)', over('express', 'invalid', 'tokenlease', 'tokenlease', 'worst'), 1),
    atLeast('Koa, 401 path', 'its 200 path (worst case)', over('koa', 'invalid', 'tokenlease', 'tokenlease', 'worst'), 1),
    atLeast('refresh, MemoryStore', 'raw jose SignJWT', { ratio: core.refreshRatio }, 0.6),
    atLeast('refresh, SqliteStore', 'raw jose SignJWT', { ratio: stores.sqliteRatio }, 0.4),
    atLeast('refresh, RedisStore', 'raw jose SignJWT', { ratio: stores.redisRatio }, 0.4),
    {
      area: `heap, MemoryStore at ${sessions.toLocaleString('en-US')} sessions`,
      target: '<= 1 KiB per live session',
      measured: `${Math.round(core.heapPerSession)} B`,
      byCpu: '',
      met: core.heapPerSession <= 1024,
    },
  ];
}

function atLeast(area, target, { ratio, byCpu, ceiling }, minimum) {
  return {
    area,
    target: `>= ${minimum}x ${target}`,
    measured: `${ratio.toFixed(2)}x`,
    byCpu: byCpu === undefined ? '' : `${byCpu.toFixed(2)}x`,
    ceiling: ceiling === undefined ? '' : `${ceiling.toFixed(2)}x`,
    met: ratio >= minimum,
  };
}

/** Prints the targets and returns their Markdown. */
export function targetsTable(targets) {
  const rows = targets.map((target) => [target.area, target.target, target.measured, target.met ? '✔' : '✘', target.byCpu, target.ceiling ?? '']);
  const header = ['where', 'target', 'measured (req/s)', 'met', 'same ratio by server CPU per request', 'empty middleware, same ratio (ceiling)'];
  return table('Targets (tokenlease; ratios measured in this run)', header, rows);
}
