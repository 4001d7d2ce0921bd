import { createAuth, MemoryStore, type Auth, type AuthOptions } from '../../../src/index.js';
import { TEST_SECRET, testClock, type TestClock } from '../../support/test-clock.js';

export const ISSUER = 'https://issuer.test';

/** A core on an injected clock, HS256, with a memory store unless told otherwise. */
export function testAuth(options: Partial<AuthOptions> = {}): { auth: Auth; clock: TestClock; store: MemoryStore } {
  const clock = testClock();
  const store = new MemoryStore();
  const auth = createAuth({ issuer: ISSUER, audience: 'api', keys: { secret: TEST_SECRET }, clock, store, ...options });
  return { auth, clock, store };
}
