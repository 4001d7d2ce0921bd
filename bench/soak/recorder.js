// Every answer of a soak, by endpoint, and the figures drawn from them.

/** The endpoints the clients call, in the order the figures list them. */
export const ENDPOINTS = ['login', 'me', 'refresh', 'logout', 'revoke', 'me-revoked', 'final-refresh', 'final-revoked'];

/**
 * Keeps one sample per request: when it started and ended (ms since the soak
 * began), its status (0 when no answer came), whether a 503 carried
 * `Retry-After`, and the connection error if any.
 */
export class Recorder {
  #origin;
  #samples = new Map(ENDPOINTS.map((name) => [name, []]));

  constructor(origin) {
    this.#origin = origin;
  }

  /** Records the answer of `send()` under `endpoint`; returns the answer. */
  record(endpoint, answer) {
    const start = answer.started - this.#origin;
    this.#samples.get(endpoint).push({
      start,
      end: start + answer.ms,
      ms: answer.ms,
      status: answer.status,
      retryAfter: answer.headers?.['retry-after'] !== undefined,
      error: answer.error,
    });
    return answer;
  }

  /** The samples of one endpoint, or of all, optionally only those started within [from, to). */
  samples(endpoint, from = -Infinity, to = Infinity) {
    const lists = endpoint === undefined ? [...this.#samples.values()] : [this.#samples.get(endpoint)];
    return lists.flat().filter((sample) => sample.start >= from && sample.start < to);
  }

  /** Per endpoint over `seconds`: count, requests per second, p50, p99 and max latency, statuses. */
  figures(seconds) {
    return ENDPOINTS.map((name) => summarize(name, this.#samples.get(name), seconds)).filter((row) => row.count > 0);
  }
}

/** Count, rate, latency percentiles (ms) and status counts of some samples. */
export function summarize(name, samples, seconds) {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const statuses = {};
  for (const sample of samples) {
    const key = sample.status === 0 ? sample.error : String(sample.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return {
    name,
    count: samples.length,
    rps: samples.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    statuses,
  };
}

/** The nearest-rank percentile of ascending values; 0 when there are none. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
