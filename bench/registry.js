// AuthenticationManager against a naive Map scan at 100,000 live tokens: a count-heavy mix,
// 1,000,000 mixed operations with expiry churn, heap per live token and a renew-heavy mix.
// Build first (npm run build), then: node --expose-gc bench/registry.js
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { AuthenticationManager } from '../dist/src/authentication-manager.js';
import { table } from './measure.js';

const LIVE = 100_000;
// Long enough that nothing expires during the fixed-population mixes.
const FOREVER = 1e12;

/** The obvious registry: a Map of id to expiry; count scans the whole map, dropping expired ids. */
class NaiveRegistry {
  #expiries = new Map();
  #timeToLive;

  constructor(timeToLive) {
    this.#timeToLive = timeToLive;
  }

  generate(tokenId, currentTime) {
    this.#expiries.set(tokenId, currentTime + this.#timeToLive);
  }

  renew(tokenId, currentTime) {
    if ((this.#expiries.get(tokenId) ?? -1) > currentTime) this.#expiries.set(tokenId, currentTime + this.#timeToLive);
  }

  countUnexpiredTokens(currentTime) {
    for (const [id, expiry] of this.#expiries) if (expiry <= currentTime) this.#expiries.delete(id);
    return this.#expiries.size;
  }
}

/**
 * The design the renew-heavy mix guards against: Map insertion order as expiry order, kept by
 * delete and re-insert on renewal, expired from the front of the Map's iteration.
 */
class ReinsertRegistry {
  #expiries = new Map();
  #timeToLive;

  constructor(timeToLive) {
    this.#timeToLive = timeToLive;
  }

  generate(tokenId, currentTime) {
    this.#expire(currentTime);
    this.#expiries.delete(tokenId);
    this.#expiries.set(tokenId, currentTime + this.#timeToLive);
  }

  renew(tokenId, currentTime) {
    this.#expire(currentTime);
    if (!this.#expiries.has(tokenId)) return;
    this.#expiries.delete(tokenId);
    this.#expiries.set(tokenId, currentTime + this.#timeToLive);
  }

  countUnexpiredTokens(currentTime) {
    this.#expire(currentTime);
    return this.#expiries.size;
  }

  #expire(currentTime) {
    for (const [id, expiry] of this.#expiries) {
      if (expiry > currentTime) return;
      this.#expiries.delete(id);
    }
  }
}

/** A seeded xorshift32 generator of unsigned 32-bit integers, so every run draws the same operations. */
function random(seed) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

function tokenIds(count, prefix = 'token') {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
}

/**
 * One operation of a mix over a fixed population of live ids, time moving one unit per operation.
 * `countPercent` and `renewPercent` are shares of 100; the rest generates (restarts) a random id.
 * Renewals pick a random id, or with `inTurn` the ids in turn, as clients refreshing on a schedule.
 */
function mix(registry, ids, { countPercent, renewPercent, inTurn = false }, seed = 1) {
  const next = random(seed);
  let time = 1;
  let turn = 0;
  return () => {
    time += 1;
    const roll = next() % 100;
    const id = ids[next() % ids.length];
    if (roll < countPercent) registry.countUnexpiredTokens(time);
    else if (roll >= countPercent + renewPercent) registry.generate(id, time);
    else registry.renew(inTurn ? ids[turn++ % ids.length] : id, time);
  };
}

function filled(Registry, ids) {
  const registry = new Registry(FOREVER);
  for (const id of ids) registry.generate(id, 1);
  return registry;
}

/** Runs `operation` in batches for about `seconds`; returns operations per second. */
function opsPerSecond(operation, seconds) {
  const started = performance.now();
  const until = started + seconds * 1000;
  let operations = 0;
  let now = started;
  while (now < until) {
    for (let index = 0; index < 256; index++) operation();
    operations += 256;
    now = performance.now();
  }
  return operations / ((now - started) / 1000);
}

/** Alternates rounds of the variants (A B A B ...) so machine drift hits all alike; returns medians. */
function compare(variants, rounds = 3, seconds = 0.5) {
  const samples = variants.map(() => []);
  for (const variant of variants) opsPerSecond(variant.run, 0.1);
  for (let round = 0; round < rounds; round++) {
    variants.forEach((variant, index) => samples[index].push(opsPerSecond(variant.run, seconds)));
  }
  return samples.map(median);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** (1) 50% count, 25% renew, 25% generate at 100,000 live tokens, naive against ours. */
function countHeavy() {
  const ids = tokenIds(LIVE);
  const shares = { countPercent: 50, renewPercent: 25 };
  const [naive, ours] = compare([
    { run: mix(filled(NaiveRegistry, ids), ids, shares) },
    { run: mix(filled(AuthenticationManager, ids), ids, shares) },
  ]);
  const speedup = ours / naive;
  return [
    { name: 'count-heavy mix, naive Map scan', opsPerSec: naive, figure: `${LIVE.toLocaleString('en-US')} live`, target: '' },
    { name: 'count-heavy mix, AuthenticationManager', opsPerSec: ours, figure: `${speedup.toFixed(0)}x naive`, target: '>= 100x naive', speedup, met: speedup >= 100 },
  ];
}

/**
 * (2) 1,000,000 operations at about 100,000 live tokens with expiry churn: a quarter generate
 * fresh ids, a quarter renew recent ones (some already expired), half count. Median of 3 runs.
 */
function millionMixed() {
  const operations = 1_000_000;
  const ids = tokenIds(LIVE + operations);
  const runs = [0, 1, 2].map((seed) => timedMillion(ids, operations, seed + 1));
  const seconds = median(runs.map((run) => run.seconds));
  const live = runs[0].live;
  return [
    {
      name: '1,000,000 mixed ops with expiry churn, AuthenticationManager',
      opsPerSec: operations / seconds,
      figure: `${seconds.toFixed(3)} s, ${live.toLocaleString('en-US')} live at end`,
      target: '< 1 s',
      seconds,
      met: seconds < 1,
    },
  ];
}

function timedMillion(ids, operations, seed) {
  // One token is generated every 4 time units and lives 400,000: 100,000 live, plus the renewed.
  const timeToLive = 4 * LIVE;
  const manager = new AuthenticationManager(timeToLive);
  for (let index = 0; index < LIVE; index++) manager.generate(ids[index], 4 * index);
  const next = random(seed);
  let generated = LIVE;
  let time = timeToLive;
  const started = performance.now();
  for (let index = 0; index < operations; index++) {
    time += 1;
    const roll = next() % 4;
    if (roll < 2) manager.countUnexpiredTokens(time);
    else if (roll === 2) manager.renew(ids[generated - 1 - (next() % LIVE)], time);
    else manager.generate(ids[generated++], time);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, live: manager.countUnexpiredTokens(time) };
}

function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * (3) Heap bytes per live token at 100,000 live tokens, counting the id strings and the array that
 * holds them: after a fresh fill, after 1,000,000 renewals of random ids, and what stays once all
 * have expired. Needs node --expose-gc.
 */
function heapPerToken() {
  if (typeof globalThis.gc !== 'function') {
    return [{ name: 'heap per live token', opsPerSec: Number.NaN, figure: 'run with node --expose-gc', target: '<= 200 B', met: false }];
  }
  const before = heapUsed();
  const manager = new AuthenticationManager(HEAP_TTL);
  const { fillRate, filledBytes, renewRate, renewedBytes } = fillAndRenew(manager, before);
  manager.countUnexpiredTokens(HEAP_START + 2 * HEAP_TTL);
  const expiredBytes = heapUsed() - before;
  const naiveBefore = heapUsed();
  const naive = new NaiveRegistry(HEAP_TTL);
  for (const [index, id] of tokenIds(LIVE).entries()) naive.generate(id, HEAP_START + index / 1_000);
  const naiveBytes = (heapUsed() - naiveBefore) / naive.countUnexpiredTokens(HEAP_START);
  return [
    { name: 'heap per live token after 100,000 generate', opsPerSec: fillRate, figure: `${filledBytes.toFixed(0)} B (naive ${naiveBytes.toFixed(0)} B)`, target: '<= 200 B', bytesPerToken: filledBytes, met: filledBytes <= 200 },
    { name: 'heap per live token after 1,000,000 random renew', opsPerSec: renewRate, figure: `${renewedBytes.toFixed(0)} B`, target: '<= 200 B', bytesPerToken: renewedBytes, met: renewedBytes <= 200 },
    { name: 'heap kept once all 100,000 expired', opsPerSec: Number.NaN, figure: `${Math.max(0, expiredBytes).toLocaleString('en-US')} B total`, target: '~0', bytes: expiredBytes, met: expiredBytes < 100 * 1024 },
  ];
}

// Epoch seconds with a fraction, so expiries are doubles as they would be in service.
const HEAP_START = 1_700_000_000.125;
const HEAP_TTL = 3_600;

/** Fills `manager` with 100,000 tokens, then renews random ones 1,000,000 times; heap figures from `before`. */
function fillAndRenew(manager, before) {
  const ids = tokenIds(LIVE);
  let started = performance.now();
  for (const [index, id] of ids.entries()) manager.generate(id, HEAP_START + index / 1_000);
  const fillRate = LIVE / ((performance.now() - started) / 1000);
  const filledBytes = (heapUsed() - before) / LIVE;
  const next = random(7);
  let time = HEAP_START + 100;
  started = performance.now();
  for (let index = 0; index < 10 * LIVE; index++) manager.renew(ids[next() % LIVE], (time += 1e-4));
  const renewRate = (10 * LIVE) / ((performance.now() - started) / 1000);
  const renewedBytes = (heapUsed() - before) / manager.countUnexpiredTokens(time);
  return { fillRate, filledBytes, renewRate, renewedBytes };
}

/**
 * (4) 90% renew (ids in turn), 5% generate, 5% count at 100,000 live tokens for 4,000,000 operations
 * in windows of 400,000: the last window must run about as fast as the first. The Map re-insert
 * design is shown for reference, on fewer operations: renewing in turn empties the front of its Map.
 */
function renewHeavy() {
  const ids = tokenIds(LIVE);
  const shares = { countPercent: 5, renewPercent: 90, inTurn: true };
  const ours = windows(mix(filled(AuthenticationManager, ids), ids, shares), 10, 400_000);
  const reinsert = windows(mix(filled(ReinsertRegistry, ids), ids, shares), 4, 5_000);
  const [naive] = compare([{ run: mix(filled(NaiveRegistry, ids), ids, shares) }], 1);
  const ratio = ours.last / ours.first;
  return [
    { name: 'renew-heavy mix, naive Map scan', opsPerSec: naive, figure: '', target: '' },
    { name: 'renew-heavy mix, Map delete/re-insert (reference)', opsPerSec: reinsert.overall, figure: `last/first window ${(reinsert.last / reinsert.first).toFixed(2)}`, target: '' },
    {
      name: 'renew-heavy mix, AuthenticationManager',
      opsPerSec: ours.overall,
      figure: `last/first window ${ratio.toFixed(2)}, ${(ours.overall / naive).toFixed(0)}x naive`,
      target: 'last/first >= 0.5 (no slowdown)',
      met: ratio >= 0.5,
    },
  ];
}

function windows(operation, count, size) {
  const rates = [];
  let total = 0;
  for (let window = 0; window < count; window++) {
    const started = performance.now();
    for (let index = 0; index < size; index++) operation();
    const seconds = (performance.now() - started) / 1000;
    rates.push(size / seconds);
    total += seconds;
  }
  return { first: rates[0], last: rates[rates.length - 1], overall: (count * size) / total };
}

/** Runs every part of the registry benchmark; returns one row per figure. */
export async function benchRegistry() {
  return [...countHeavy(), ...millionMixed(), ...heapPerToken(), ...renewHeavy()];
}

/** Prints the rows of {@link benchRegistry} as a table and returns its Markdown. */
export function registryTable(rows) {
  const cells = rows.map((row) => [
    row.name,
    Number.isFinite(row.opsPerSec) ? Math.round(row.opsPerSec).toLocaleString('en-US') : '-',
    row.figure,
    row.target,
    row.met === undefined ? '' : row.met ? '✔' : '✘',
  ]);
  return table('AuthenticationManager against a naive Map scan (100,000 live tokens)', ['workload', 'ops/s', 'figure', 'target', 'met'], cells);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  registryTable(await benchRegistry());
}
