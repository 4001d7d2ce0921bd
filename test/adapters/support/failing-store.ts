import type { SessionStore } from '../../../src/index.js';

/** A session store whose backend is down: every call fails, or, with `hang`, never answers. */
export function failingStore(mode: 'fail' | 'hang' = 'fail'): SessionStore {
  const outage = (): Promise<never> => (mode === 'hang' ? new Promise<never>(() => undefined) : Promise.reject(new Error('ECONNREFUSED')));
  return { create: outage, rotate: outage, find: outage, revoke: outage, revokeSubject: outage, count: outage, list: outage };
}
