import { StoreUnavailableError, TokenleaseError } from '../errors.js';

/** Limits of {@link StoreGuard}. */
export interface StoreGuardLimits {
  /** A call that takes longer fails with `timeout`. */
  readonly timeoutMs: number;
  /** Beyond this many calls in flight, new ones fail at once with `overloaded`. */
  readonly maxPending: number;
}

/**
 * Runs store calls with a deadline and a bound on calls in flight: a store that
 * throws or does not answer in time becomes a {@link StoreUnavailableError}
 * (503), never a hang or a 500; and a slow store cannot pile up an unbounded
 * queue of waiting calls, since a call that timed out still counts until the
 * store really answers it. Errors of tokenlease itself pass through.
 */
export class StoreGuard {
  readonly #limits: StoreGuardLimits;
  #pending = 0;

  constructor(limits: StoreGuardLimits) {
    this.#limits = limits;
  }

  /** The number of store calls started and not yet answered by the store. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Runs `call`, handing it a wall-clock deadline (epoch ms) after which a
   * store must not make its write. It falls a quarter of the timeout (at most
   * 500 ms) before this caller gives up, leaving time for the store's answer
   * to arrive: a write made just in time is then rarely answered 503.
   */
  async run<T>(call: (deadline: number) => Promise<T>): Promise<T> {
    if (this.#pending >= this.#limits.maxPending) throw new StoreUnavailableError('overloaded');
    this.#pending++;
    let timer: NodeJS.Timeout | undefined;
    const { timeoutMs } = this.#limits;
    const deadline = Date.now() + timeoutMs - Math.min(timeoutMs / 4, 500);
    const settled = Promise.resolve()
      .then(() => call(deadline))
      .finally(() => this.#pending--);
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('timeout')), timeoutMs);
    });
    try {
      return await Promise.race([settled, timedOut]);
    } catch (error) {
      if (error instanceof TokenleaseError) throw error;
      throw new StoreUnavailableError('failed', error);
    } finally {
      clearTimeout(timer);
      // The store's own late failure, after the deadline, is not this caller's to report.
      settled.catch(() => undefined);
    }
  }
}
