import { describe, expect, it } from 'vitest';
import { resolveAuthenticateOptions } from '../../../adapters/http/authenticate-request.js';
import { resolveTokenEndpointOptions } from '../../../adapters/http/token-endpoint-options.js';
import type { Auth } from '../../../src/index.js';
import { testAuth } from '../support/auth-fixture.js';
import { thrown } from '../support/thrown.js';

describe('adapter options', () => {
  const { auth } = testAuth();

  it('checks authenticate options once, naming the bad one', () => {
    const cases = [
      [{ scope: 'read "write"' }, 'scope'],
      [{ scope: ['ok', 7] }, 'scope'],
      [{ optional: 'yes' }, 'optional'],
      [{ checkSession: 1 }, 'checkSession'],
      [{ getToken: 'header' }, 'getToken'],
    ] as const;
    for (const [options, reason] of cases) {
      expect(thrown(() => resolveAuthenticateOptions(auth, options as never))).toMatchObject({ code: 'invalid_configuration', reason });
    }
    expect(thrown(() => resolveAuthenticateOptions({} as never, {}))).toMatchObject({ code: 'invalid_configuration', reason: 'verifier' });
    expect(resolveAuthenticateOptions(auth, { scope: 'b a b' }).scope).toEqual(['b', 'a']);
  });

  it('checks token endpoint options once, naming the bad one', () => {
    const cases = [
      [{ maxBodySize: 0 }, 'maxBodySize'],
      [{ cookie: { allowedOrigins: [] } }, 'cookie.allowedOrigins'],
      [{ cookie: { allowedOrigins: ['https://app.example.com/'] } }, 'cookie.allowedOrigins'],
      [{ cookie: { allowedOrigins: ['*'] } }, 'cookie.allowedOrigins'],
      [{ cookie: { allowedOrigins: ['https://a.example'], name: 'a b' } }, 'cookie.name'],
      [{ cookie: { allowedOrigins: ['https://a.example'], secure: 'no' } }, 'cookie.secure'],
      [{ cookie: { allowedOrigins: ['https://a.example'], path: '/a;Domain=x' } }, 'cookie.path'],
    ] as const;
    for (const [options, reason] of cases) {
      expect(thrown(() => resolveTokenEndpointOptions(auth, options as never))).toMatchObject({ code: 'invalid_configuration', reason });
    }
    const verifierOnly = { realm: 'r', verify: auth.verify } as unknown as Auth;
    expect(thrown(() => resolveTokenEndpointOptions(verifierOnly, {}))).toMatchObject({ code: 'invalid_configuration', reason: 'auth' });
  });
});
