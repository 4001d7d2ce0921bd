// Shared timing helpers of the benchmarks: sequential operations, alternated rounds, medians.
import { performance } from 'node:perf_hooks';

/** Runs `operation` (sync or async) repeatedly for about `seconds`; returns operations per second. */
export async function opsPerSecond(operation, seconds = 0.5) {
  const until = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < until) {
    for (let i = 0; i < 64; i++) await operation(count++);
  }
  return count / ((performance.now() - started) / 1000);
}

/** Like {@link opsPerSecond}, with `concurrency` operations in flight, as a server has. */
export async function opsPerSecondConcurrent(operation, seconds = 0.5, concurrency = 10) {
  const until = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < until) await operation(count++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

/**
 * Measures several variants in alternating rounds (A B A B ...), so that a
 * drift of the machine affects all alike; returns the median and range of each.
 */
export async function compare(variants, { rounds = 3, seconds = 0.5 } = {}) {
  const samples = new Map(variants.map((variant) => [variant.name, []]));
  for (const variant of variants) await opsPerSecond(variant.run, 0.1);
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) samples.get(variant.name).push(await opsPerSecond(variant.run, seconds));
  }
  return variants.map((variant) => summarize(variant.name, samples.get(variant.name)));
}

export function summarize(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { name, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Formats a number of operations per second. */
export function rate(value) {
  return Math.round(value).toLocaleString('en-US');
}

/** Prints rows as an aligned table (and returns its Markdown form). */
export function table(title, header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  console.log(`\n${title}`);
  for (const row of all) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
  const markdown = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return `### ${title}\n\n${markdown.join('\n')}\n`;
}

/** Heap bytes in use after a full collection (needs node --expose-gc). */
export function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}
