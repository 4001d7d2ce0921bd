/**
 * Fills the in-process revocation list from the store, so that it also holds
 * the revocations this process did not hear of: those made before it started
 * (a restart, a new instance) and those broadcast while its subscription was
 * lost. `load` reads them (`SessionStore.revokedSince`) and applies them. A
 * failed load is tried again after `retryMs` until one succeeds; loads asked
 * for while one runs are folded into one more run after it.
 */
export class RevocationReplay {
  readonly #load: () => Promise<void>;
  readonly #retryMs: number;
  #running: Promise<void> | undefined;
  #again = false;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  /** The first load, until it has been tried: `verify` waits for it. */
  #first: Promise<void> | undefined;

  constructor(load: () => Promise<void>, retryMs: number) {
    this.#load = load;
    this.#retryMs = retryMs;
    this.#first = this.request().finally(() => {
      this.#first = undefined;
    });
  }

  /**
   * Resolves once the first load has succeeded or failed; `undefined` after,
   * so that a caller pays nothing once it is done.
   */
  get starting(): Promise<void> | undefined {
    return this.#first;
  }

  /** Loads again (a subscription came back): at once, or right after the load under way. */
  request(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    clearTimeout(this.#retry);
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.request();
      }
    });
    return this.#running;
  }

  /** Stops retrying. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
  }

  async #run(): Promise<void> {
    try {
      await this.#load();
    } catch {
      // The store is down: the list holds what this process heard; try again later.
      if (this.#closed) return;
      this.#retry = setTimeout(() => void this.request(), this.#retryMs);
      this.#retry.unref();
    }
  }
}
