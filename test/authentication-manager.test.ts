import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AuthenticationManager } from '../src/authentication-manager.js';

/** Asserts that `action` throws a RangeError whose message contains `fragment`. */
function expectRangeError(action: () => unknown, fragment: string): void {
  expect(action).toThrow(RangeError);
  expect(action).toThrow(fragment);
}

/** Lets a test pass values the types forbid, as a JavaScript caller could. */
function loose(value: unknown): number {
  return value as number;
}

describe('AuthenticationManager: the seed example', () => {
  it('runs the example with time to live 5', () => {
    const manager = new AuthenticationManager(5);
    manager.renew('aaa', 1);
    manager.generate('aaa', 2);
    expect(manager.countUnexpiredTokens(6)).toBe(1);
    manager.generate('bbb', 7);
    manager.renew('aaa', 8);
    manager.renew('bbb', 10);
    expect(manager.countUnexpiredTokens(15)).toBe(0);
  });

  it('gives the expected count at every step of the example', () => {
    const manager = new AuthenticationManager(5);
    manager.renew('aaa', 1); // unknown: nothing happens
    expect(manager.countUnexpiredTokens(1)).toBe(0);
    manager.generate('aaa', 2); // aaa expires at 7
    expect(manager.countUnexpiredTokens(2)).toBe(1);
    expect(manager.countUnexpiredTokens(6)).toBe(1);
    manager.generate('bbb', 7); // aaa expires now; bbb expires at 12
    expect(manager.countUnexpiredTokens(7)).toBe(1);
    manager.renew('aaa', 8); // expired: nothing happens
    expect(manager.countUnexpiredTokens(8)).toBe(1);
    manager.renew('bbb', 10); // bbb now expires at 15
    expect(manager.countUnexpiredTokens(10)).toBe(1);
    expect(manager.countUnexpiredTokens(14)).toBe(1);
    expect(manager.countUnexpiredTokens(15)).toBe(0);
  });
});

describe('AuthenticationManager: boundaries', () => {
  it('counts a token one unit before its expiry but not at it', () => {
    const manager = new AuthenticationManager(10);
    manager.generate('a', 3);
    expect(manager.countUnexpiredTokens(12)).toBe(1);
    expect(manager.countUnexpiredTokens(13)).toBe(0);
  });

  it('counts a token the smallest step before its expiry but not at it', () => {
    const manager = new AuthenticationManager(0.5);
    manager.generate('a', 0.25); // expires at exactly 0.75
    expect(manager.countUnexpiredTokens(0.75 - 2 ** -53)).toBe(1);
    expect(manager.countUnexpiredTokens(0.75)).toBe(0);
  });

  it('does not renew a token at exactly its expiry, nor bring it back later', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    manager.renew('a', 5);
    expect(manager.countUnexpiredTokens(5)).toBe(0);
    manager.renew('a', 6);
    expect(manager.countUnexpiredTokens(9)).toBe(0);
  });

  it('renews a token just before its expiry', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    manager.renew('a', 4.5); // now expires at 9.5
    expect(manager.countUnexpiredTokens(5)).toBe(1);
    expect(manager.countUnexpiredTokens(9.25)).toBe(1);
    expect(manager.countUnexpiredTokens(9.5)).toBe(0);
  });

  it('keeps a renewed token alive past its first expiry', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    manager.renew('a', 1);
    manager.renew('a', 2);
    expect(manager.countUnexpiredTokens(5)).toBe(1);
    expect(manager.countUnexpiredTokens(6)).toBe(1);
    expect(manager.countUnexpiredTokens(7)).toBe(0);
  });

  it('makes a new token when an id is generated at exactly its expiry', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    manager.generate('a', 5); // the old token expires first, then a new one expires at 10
    expect(manager.countUnexpiredTokens(5)).toBe(1);
    expect(manager.countUnexpiredTokens(9.5)).toBe(1);
    expect(manager.countUnexpiredTokens(10)).toBe(0);
  });

  it('generates an expired id again', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    expect(manager.countUnexpiredTokens(8)).toBe(0);
    manager.generate('a', 8);
    expect(manager.countUnexpiredTokens(12)).toBe(1);
    expect(manager.countUnexpiredTokens(13)).toBe(0);
  });

  it('restarts a live token generated again, counting it once', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 0);
    manager.generate('a', 3); // now expires at 8
    expect(manager.countUnexpiredTokens(3)).toBe(1);
    expect(manager.countUnexpiredTokens(6)).toBe(1);
    expect(manager.countUnexpiredTokens(8)).toBe(0);
  });

  it('ignores the renewal of an unknown id', () => {
    const manager = new AuthenticationManager(5);
    manager.renew('ghost', 1);
    expect(manager.countUnexpiredTokens(1)).toBe(0);
    manager.generate('a', 2);
    manager.renew('ghost', 3);
    expect(manager.countUnexpiredTokens(3)).toBe(1);
    expect(manager.countUnexpiredTokens(7)).toBe(0);
  });

  it('allows many actions at one time', () => {
    const manager = new AuthenticationManager(4);
    manager.generate('a', 1);
    manager.generate('b', 1);
    manager.renew('a', 1);
    manager.renew('a', 1);
    manager.generate('a', 1);
    expect(manager.countUnexpiredTokens(1)).toBe(2);
    expect(manager.countUnexpiredTokens(1)).toBe(2);
    expect(manager.countUnexpiredTokens(4.75)).toBe(2);
    expect(manager.countUnexpiredTokens(5)).toBe(0);
  });

  it('expires a token and generates it again at one time, in that order', () => {
    const manager = new AuthenticationManager(2);
    manager.generate('a', 0);
    manager.generate('b', 1);
    expect(manager.countUnexpiredTokens(2)).toBe(1);
    manager.renew('a', 2);
    manager.generate('a', 2);
    manager.generate('a', 2);
    expect(manager.countUnexpiredTokens(2)).toBe(2);
    expect(manager.countUnexpiredTokens(3)).toBe(1);
    expect(manager.countUnexpiredTokens(4)).toBe(0);
  });

  it('starts at time zero', () => {
    const manager = new AuthenticationManager(1);
    manager.generate('a', 0);
    expect(manager.countUnexpiredTokens(0)).toBe(1);
    expect(manager.countUnexpiredTokens(1)).toBe(0);
  });

  it('uses fractional times and time to live, with the expiry computed as currentTime + timeToLive', () => {
    const manager = new AuthenticationManager(0.1);
    manager.generate('a', 0.2); // expires at 0.2 + 0.1, which is 0.30000000000000004
    expect(manager.countUnexpiredTokens(0.3)).toBe(1);
    expect(manager.countUnexpiredTokens(0.2 + 0.1)).toBe(0);
  });

  it('handles a tiny time to live at large times', () => {
    const manager = new AuthenticationManager(0.001);
    manager.generate('a', 1e6);
    manager.generate('b', 1e6 + 0.0005);
    expect(manager.countUnexpiredTokens(1e6 + 0.0009)).toBe(2);
    expect(manager.countUnexpiredTokens(1e6 + 0.001)).toBe(1);
    expect(manager.countUnexpiredTokens(1e6 + 0.0015)).toBe(0);
  });

  it('accepts any string as an id, the empty one included', () => {
    const manager = new AuthenticationManager(3);
    for (const id of ['', ' ', '__proto__', 'constructor', 'ünïcødé', 'a'.repeat(10_000)]) manager.generate(id, 1);
    expect(manager.countUnexpiredTokens(2)).toBe(6);
  });
});

describe('AuthenticationManager: errors', () => {
  it.each([
    [0, 'timeToLive 0 '],
    [-1, 'timeToLive -1 '],
    [Number.NaN, 'timeToLive NaN '],
    [Number.POSITIVE_INFINITY, 'timeToLive Infinity '],
    [Number.NEGATIVE_INFINITY, 'timeToLive -Infinity '],
    ['5', 'timeToLive "5" '],
    [undefined, 'timeToLive undefined '],
    [null, 'timeToLive null '],
    [5n, 'timeToLive 5n '],
    [{ valueOf: (): number => 5 }, 'timeToLive <object> '],
  ])('refuses the time to live %p', (value, fragment) => {
    expectRangeError(() => new AuthenticationManager(loose(value)), fragment);
  });

  it('accepts a tiny positive time to live', () => {
    const manager = new AuthenticationManager(Number.MIN_VALUE);
    manager.generate('a', 0);
    expect(manager.countUnexpiredTokens(0)).toBe(1);
  });

  const actions: readonly [string, (manager: AuthenticationManager, time: number) => unknown][] = [
    ['generate', (manager, time) => manager.generate('new', time)],
    ['renew', (manager, time) => manager.renew('live', time)],
    ['countUnexpiredTokens', (manager, time) => manager.countUnexpiredTokens(time)],
  ];

  const invalidTimes: readonly [unknown, string][] = [
    [3, 'currentTime 3 is before 7, the latest time seen'],
    [6.5, 'currentTime 6.5 is before 7'],
    [-1, 'currentTime -1 '],
    [-0.5, 'currentTime -0.5 '],
    [Number.NaN, 'currentTime NaN '],
    [Number.POSITIVE_INFINITY, 'currentTime Infinity '],
    [Number.NEGATIVE_INFINITY, 'currentTime -Infinity '],
    ['8', 'currentTime "8" '],
    [undefined, 'currentTime undefined '],
    [null, 'currentTime null '],
    [8n, 'currentTime 8n '],
    [new Date(8), 'currentTime <object> '],
    [Object.create(null), 'currentTime <object> '],
    [Symbol('t'), 'currentTime Symbol(t) '],
  ];

  /** A manager at time 7 with 'live' expiring at 10 and 'old' expiring at 8. */
  function managerAtSeven(): AuthenticationManager {
    const manager = new AuthenticationManager(5);
    manager.generate('old', 3);
    manager.generate('live', 5);
    manager.countUnexpiredTokens(7);
    return manager;
  }

  for (const [name, act] of actions) {
    it.each(invalidTimes)(`${name} refuses the time %p and leaves the state unchanged`, (time, fragment) => {
      const manager = managerAtSeven();
      expectRangeError(() => act(manager, loose(time)), fragment);
      // Still at time 7: nothing generated, nothing renewed, no time recorded.
      expect(manager.countUnexpiredTokens(7)).toBe(2);
      expect(manager.countUnexpiredTokens(8)).toBe(1);
      expect(manager.countUnexpiredTokens(10)).toBe(0);
    });
  }

  it('remembers the latest time seen by any method', () => {
    const manager = new AuthenticationManager(5);
    manager.countUnexpiredTokens(10);
    expectRangeError(() => manager.generate('a', 9), 'currentTime 9 is before 10, the latest time seen');
    manager.renew('a', 11);
    expectRangeError(() => manager.countUnexpiredTokens(10.5), 'currentTime 10.5 is before 11');
    manager.generate('a', 12);
    expectRangeError(() => manager.renew('a', 11.9), 'currentTime 11.9 is before 12');
    expect(manager.countUnexpiredTokens(12)).toBe(1);
  });

  it('does not move time forward on a refused call', () => {
    const manager = new AuthenticationManager(5);
    manager.generate('a', 1);
    expectRangeError(() => manager.generate('b', Number.NaN), 'NaN');
    expectRangeError(() => manager.generate('b', -3), '-3');
    manager.generate('b', 1);
    expect(manager.countUnexpiredTokens(1)).toBe(2);
  });
});

describe('AuthenticationManager: long runs', () => {
  it('keeps the count right through many renewals of the same live tokens', () => {
    const manager = new AuthenticationManager(1_000);
    const ids = Array.from({ length: 500 }, (_, index) => `token-${index}`);
    for (const id of ids) manager.generate(id, 0);
    let time = 0;
    for (let round = 0; round < 200; round++) {
      time += 1;
      for (const id of ids) manager.renew(id, time);
      expect(manager.countUnexpiredTokens(time)).toBe(ids.length);
    }
    expect(manager.countUnexpiredTokens(time + 999)).toBe(ids.length);
    expect(manager.countUnexpiredTokens(time + 1_000)).toBe(0);
    for (const id of ids) manager.renew(id, time + 1_000);
    expect(manager.countUnexpiredTokens(time + 1_000)).toBe(0);
  });

  it('counts a sliding window of tokens while most expire', () => {
    const manager = new AuthenticationManager(100);
    for (let time = 0; time < 20_000; time++) {
      manager.generate(`token-${time}`, time);
      // Every third token is renewed once, 50 units after it was generated.
      if (time >= 50 && (time - 50) % 3 === 0) manager.renew(`token-${time - 50}`, time);
      const expected = Math.min(time + 1, 100) + renewedStillLive(time);
      expect(manager.countUnexpiredTokens(time)).toBe(expected);
    }
  });

  /** Tokens generated 100..149 units ago and renewed (at 50 units old) that are still live at `time`. */
  function renewedStillLive(time: number): number {
    let live = 0;
    for (let born = Math.max(0, time - 149); born <= time - 100; born++) if (born % 3 === 0) live++;
    return live;
  }

  it('drops every token after a mass expiry and works on afterwards', () => {
    const manager = new AuthenticationManager(10);
    for (let index = 0; index < 10_000; index++) manager.generate(`token-${index}`, index / 1_000);
    expect(manager.countUnexpiredTokens(10)).toBe(9_999);
    expect(manager.countUnexpiredTokens(20)).toBe(0);
    manager.renew('token-1', 20);
    manager.generate('token-1', 20);
    expect(manager.countUnexpiredTokens(29)).toBe(1);
    expect(manager.countUnexpiredTokens(30)).toBe(0);
  });
});

type Command =
  | { kind: 'generate'; id: string; step: number }
  | { kind: 'renew'; id: string; step: number }
  | { kind: 'count'; step: number }
  | { kind: 'backwards'; id: string; back: number };

/** The obviously right registry: a map of id to expiry, scanned on count. */
class NaiveModel {
  readonly #expiries = new Map<string, number>();
  readonly #timeToLive: number;

  constructor(timeToLive: number) {
    this.#timeToLive = timeToLive;
  }

  generate(id: string, time: number): void {
    this.#expiries.set(id, time + this.#timeToLive);
  }

  renew(id: string, time: number): void {
    if ((this.#expiries.get(id) ?? Number.NEGATIVE_INFINITY) > time) this.#expiries.set(id, time + this.#timeToLive);
  }

  count(time: number): number {
    let live = 0;
    for (const expiry of this.#expiries.values()) if (expiry > time) live++;
    return live;
  }
}

const step = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 6, noNaN: true }));
const timeToLive = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0.001, max: 12, noNaN: true }));

function commands(pool: readonly string[], maxLength: number): fc.Arbitrary<Command[]> {
  const id = fc.constantFrom(...pool);
  const command: fc.Arbitrary<Command> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('generate' as const), id, step }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('renew' as const), id, step }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('count' as const), step }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('backwards' as const), id, back: fc.double({ min: 1e-6, max: 10, noNaN: true }) }), weight: 1 },
  );
  return fc.array(command, { maxLength });
}

/** Runs `script` on both registries, comparing every count, and after a refused call that nothing changed. */
function runAgainstModel(ttl: number, start: number, script: readonly Command[]): void {
  const manager = new AuthenticationManager(ttl);
  const model = new NaiveModel(ttl);
  let time = start;
  expect(manager.countUnexpiredTokens(time)).toBe(0);
  for (const command of script) {
    if (command.kind === 'backwards') {
      const past = time - command.back;
      if (past < time) expect(() => manager.renew(command.id, past)).toThrow(RangeError);
      expect(manager.countUnexpiredTokens(time)).toBe(model.count(time));
      continue;
    }
    time += command.step;
    if (command.kind === 'generate') {
      manager.generate(command.id, time);
      model.generate(command.id, time);
    } else if (command.kind === 'renew') {
      manager.renew(command.id, time);
      model.renew(command.id, time);
    } else {
      expect(manager.countUnexpiredTokens(time)).toBe(model.count(time));
    }
  }
  expect(manager.countUnexpiredTokens(time)).toBe(model.count(time));
  expect(manager.countUnexpiredTokens(time + ttl)).toBe(0);
}

describe('AuthenticationManager: against a naive model', () => {
  it('agrees on random command sequences over a small pool of ids', () => {
    fc.assert(
      fc.property(timeToLive, fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000 })), commands(['a', 'b', 'c', 'd', 'e'], 300), runAgainstModel),
      { numRuns: 600 },
    );
  });

  it('agrees on long sequences over a larger pool, through many compactions', () => {
    const pool = Array.from({ length: 60 }, (_, index) => `id-${index}`);
    fc.assert(fc.property(timeToLive, fc.constant(0), commands(pool, 3_000), runAgainstModel), { numRuns: 60 });
  });
});
