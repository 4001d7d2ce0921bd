/** A clock for `createAuth({ clock })` that moves only when a test says so. */
export interface TestClock {
  (): number;
  advance(seconds: number): void;
  set(seconds: number): void;
}

/** A clock starting at `start` epoch seconds. */
export function testClock(start = 1_800_000_000): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (seconds) => {
    now += seconds;
  };
  clock.set = (seconds) => {
    now = seconds;
  };
  return clock;
}

/** A 32-byte HS256 secret shared by tests (and by child processes of the store tests). */
export const TEST_SECRET = 'tokenlease-test-secret-0123456789abcdef';
