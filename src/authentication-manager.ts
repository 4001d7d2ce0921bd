// Garbage slots tolerated in the expiry queue beyond one per live token before it is compacted.
const SLACK = 32;

/**
 * A registry of tokens that each live for one fixed time to live, counted,
 * renewed and expired in amortized constant time as time moves forward.
 *
 * A token whose expiry is `t` is already expired for every action at time `t`.
 * Memory follows the live tokens: expired tokens are dropped, and the queue
 * entries left behind by renewals are compacted away.
 *
 * @example
 * ```ts
 * const manager = new AuthenticationManager(5);
 * manager.generate('aaa', 2); // expires at 7
 * manager.renew('aaa', 6); // now expires at 11
 * manager.countUnexpiredTokens(10); // 1
 * manager.countUnexpiredTokens(11); // 0
 * manager.renew('aaa', 12); // expired: does nothing
 * ```
 */
export class AuthenticationManager {
  readonly #timeToLive: number;
  // One slot per generate or renew, oldest first. Times never go back and the time to live is
  // fixed, so appending keeps the expiries sorted. A slot other than its token's `slot` is stale.
  readonly #queue: Token[] = [];
  #head = 0;
  readonly #tokens = new Map<string, Token>();
  #latestTime = 0;

  /**
   * Creates an empty registry whose tokens live `timeToLive` time units.
   *
   * @param timeToLive - how long a token lives after it is generated or renewed.
   * @throws RangeError when `timeToLive` is not a positive finite number.
   */
  constructor(timeToLive: number) {
    checkTimeToLive(timeToLive);
    this.#timeToLive = timeToLive;
  }

  /**
   * Generates a token that expires at `currentTime + timeToLive`; a live token
   * of the same id is restarted as if it were new.
   *
   * @param tokenId - the id of the token.
   * @param currentTime - the time now, never before a time already seen.
   * @throws RangeError when `currentTime` is not a finite non-negative number or is before the latest time seen.
   */
  generate(tokenId: string, currentTime: number): void {
    this.#advanceTo(currentTime);
    const expiry = currentTime + this.#timeToLive;
    const token = this.#tokens.get(tokenId);
    if (token !== undefined) {
      this.#reschedule(token, expiry);
      return;
    }
    const created: Token = { id: tokenId, expiry, slot: this.#queue.length };
    this.#tokens.set(tokenId, created);
    this.#queue.push(created);
    this.#compactIfSparse();
  }

  /**
   * Moves the expiry of an unexpired token to `currentTime + timeToLive`;
   * renewing an unknown or expired token does nothing.
   *
   * @param tokenId - the id of the token.
   * @param currentTime - the time now, never before a time already seen.
   * @throws RangeError when `currentTime` is not a finite non-negative number or is before the latest time seen.
   */
  renew(tokenId: string, currentTime: number): void {
    this.#advanceTo(currentTime);
    const token = this.#tokens.get(tokenId);
    if (token !== undefined) this.#reschedule(token, currentTime + this.#timeToLive);
  }

  /**
   * Counts the tokens whose expiry is after `currentTime`.
   *
   * @param currentTime - the time now, never before a time already seen.
   * @returns the number of unexpired tokens.
   * @throws RangeError when `currentTime` is not a finite non-negative number or is before the latest time seen.
   */
  countUnexpiredTokens(currentTime: number): number {
    this.#advanceTo(currentTime);
    return this.#tokens.size;
  }

  #advanceTo(currentTime: number): void {
    checkTime(currentTime, this.#latestTime);
    this.#latestTime = currentTime;
    this.#expireUntil(currentTime);
  }

  #expireUntil(time: number): void {
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const token = queue[head] as Token;
      // Stale slots go whatever their time: the token's own slot is further back.
      if (token.slot === head) {
        if (token.expiry > time) break;
        this.#tokens.delete(token.id);
      }
      head++;
    }
    this.#head = head;
    this.#compactIfSparse();
  }

  #reschedule(token: Token, expiry: number): void {
    // Renewing twice at one time would only add a stale slot.
    if (token.expiry === expiry) return;
    token.expiry = expiry;
    token.slot = this.#queue.length;
    this.#queue.push(token);
    this.#compactIfSparse();
  }

  #compactIfSparse(): void {
    // Compacting once garbage outnumbers live slots frees at least half the queue, so each
    // slot is paid for by the operation that made it garbage: amortized O(1).
    if (this.#queue.length > 2 * this.#tokens.size + SLACK) this.#compact();
  }

  #compact(): void {
    const queue = this.#queue;
    let write = 0;
    for (let read = this.#head; read < queue.length; read++) {
      const token = queue[read] as Token;
      if (token.slot !== read) continue;
      token.slot = write;
      queue[write] = token;
      write++;
    }
    queue.length = write;
    this.#head = 0;
  }
}

/** A live token: its current expiry and the queue slot that holds it. */
interface Token {
  readonly id: string;
  expiry: number;
  slot: number;
}

/** Throws a RangeError naming `value` unless it is a positive finite number. */
function checkTimeToLive(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new RangeError(`timeToLive ${describe(value)} is not a positive finite number`);
  }
}

/** Throws a RangeError naming `value` unless it is a finite non-negative number not before `latest`. */
function checkTime(value: unknown, latest: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`currentTime ${describe(value)} is not a finite number`);
  }
  if (value < 0) throw new RangeError(`currentTime ${value} is negative`);
  if (value < latest) throw new RangeError(`currentTime ${value} is before ${latest}, the latest time seen`);
}

/** Names a value for an error message without running any code of it. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  // Objects are named by type only: converting them could run their code and throw.
  if (typeof value === 'object' && value !== null) return '<object>';
  if (typeof value === 'function') return '<function>';
  return String(value);
}
