import type { SessionStore } from '../../../src/index.js';

/** A fault injector: a store whose calls reach the real one only after a delay. */
export interface SlowStore extends SessionStore {
  /** The delay of every call from now on; 0 makes the store answer at once. */
  readonly delay: { ms: number };
  /** Resolves once every call made so far has reached the real store and been answered. */
  settled(): Promise<void>;
}

/**
 * Wraps `inner` so that each call waits `delay.ms` first. With `serial`, calls
 * also wait for one another, one at a time, as on a single stuck connection:
 * the store then holds an ever longer queue unless its callers bound it.
 */
export function slowStore(inner: SessionStore, { serial = false } = {}): SlowStore {
  const delay = { ms: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  const wait = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, delay.ms));
  const later = <T>(call: () => Promise<T>): Promise<T> => {
    const next = serial ? queue.then(wait).then(call) : wait().then(call);
    const done = next.catch(() => undefined);
    if (serial) queue = done;
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
    return next;
  };
  return {
    delay,
    settled: async () => {
      await Promise.all(inFlight);
    },
    create: (session, now, limit, deadline) => later(() => inner.create(session, now, limit, deadline)),
    rotate: (step) => later(() => inner.rotate(step)),
    find: (sessionId, now) => later(() => inner.find(sessionId, now)),
    revoke: (sessionId, now, tokenHash) => later(() => inner.revoke(sessionId, now, tokenHash)),
    revokeSubject: (subject, now) => later(() => inner.revokeSubject(subject, now)),
    count: (now, subject) => later(() => inner.count(now, subject)),
    list: (subject, now) => later(() => inner.list(subject, now)),
  };
}
