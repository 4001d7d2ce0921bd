import type { Cluster, Redis } from 'ioredis';

/** TIME round trips per measurement: the shortest is kept, one not slowed by a connection being opened. */
const SAMPLES = 3;

/**
 * The offset from this process's `Date.now()` to the Redis server's clock, so
 * that a script can judge a deadline by Redis TIME without trusting the two
 * hosts' clocks to agree. It is measured with TIME each time the client is
 * ready (a reconnect may reach another server). Redis read its clock somewhere
 * within the round trip; taking its end, the latest moment possible, means a
 * deadline is never judged later than it falls, at worst earlier by the round
 * trip (the middle could let a late step through by half of it).
 */
export class RedisClockOffset {
  readonly #client: Redis | Cluster;
  readonly #onReady = (): void => {
    this.#measuring = this.#measure();
  };
  #offsetMs: number | undefined;
  #measuring: Promise<void> | undefined;

  constructor(client: Redis | Cluster) {
    this.#client = client;
    client.on('ready', this.#onReady);
    if (client.status === 'ready') this.#onReady();
  }

  /**
   * A deadline by `Date.now()` (epoch ms) on Redis's clock, as a script
   * argument: `''`, no check, when there is none or no offset is known yet. The
   * first call waits for a measurement under way rather than send no deadline.
   */
  async toRedisTime(deadline: number | undefined): Promise<string> {
    if (deadline === undefined) return '';
    if (this.#offsetMs === undefined) await this.#measuring;
    return this.#offsetMs === undefined ? '' : String(deadline + this.#offsetMs);
  }

  /** Stops measuring: the client belongs to the caller and outlives the store. */
  close(): void {
    this.#client.off('ready', this.#onReady);
  }

  async #measure(): Promise<void> {
    let shortest = Infinity;
    let offset: number | undefined;
    try {
      for (let sample = 0; sample < SAMPLES; sample++) {
        const sent = Date.now();
        const [seconds, micros] = await this.#client.time();
        const received = Date.now();
        if (received - sent >= shortest) continue;
        shortest = received - sent;
        offset = Number(seconds) * 1000 + Number(micros) / 1000 - received;
      }
    } catch {
      // The connection was lost again: its next 'ready' measures again.
    }
    if (offset !== undefined) this.#offsetMs = offset;
  }
}
