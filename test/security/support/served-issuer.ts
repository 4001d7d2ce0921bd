import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { closeApps, startApps, type AppOptions, type RunningApp } from './apps.js';
import { createIssuer, type Issuer, type KeyKind } from './issuer.js';
import type { Witnesses } from './leaks.js';

/** An issuer of one key kind and both apps serving it, as the tests of a suite see them. */
export interface ServedIssuer {
  readonly issuer: Issuer;
  readonly apps: readonly RunningApp[];
  /** Where a refusal must leave no trace: the file's captured logs and the issuer's events. */
  readonly witnesses: Witnesses;
}

/**
 * Starts an issuer of `kind` and both apps on it before the suite's tests, or
 * before each test with `fresh` (tests that revoke or rotate), and closes the
 * apps after them.
 */
export function serveIssuer(kind: KeyKind, logs: readonly string[], { fresh = false, app = {} }: { fresh?: boolean; app?: AppOptions } = {}): ServedIssuer {
  let issuer: Issuer | undefined;
  let apps: RunningApp[] = [];
  const started = (): Issuer => {
    if (issuer === undefined) throw new Error('serveIssuer: the issuer starts before the tests, not when the suite is declared');
    return issuer;
  };
  (fresh ? beforeEach : beforeAll)(async () => {
    issuer = await createIssuer(kind);
    apps = await startApps(issuer.auth, app);
  });
  (fresh ? afterEach : afterAll)(() => closeApps(apps));
  return {
    get issuer() {
      return started();
    },
    get apps() {
      return apps;
    },
    witnesses: {
      logs,
      get events() {
        return started().events;
      },
    },
  };
}
