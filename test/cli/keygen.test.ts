import { beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Algorithm, type KeyOptions } from '../../src/index.js';
import { requireBuiltBin, runCli } from './run-cli.js';

beforeAll(requireBuiltBin);

async function keysFrom(args: readonly string[]): Promise<Record<string, unknown>> {
  const run = await runCli(['keygen', ...args]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout.endsWith('\n') && !run.stdout.trimEnd().includes('\n')).toBe(true);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

async function issueAndVerify(keys: KeyOptions): Promise<string> {
  const auth = createAuth({ issuer: 'https://issuer.test', audience: 'api', keys });
  const tokens = await auth.issue({ subject: 'alice' });
  const verified = await auth.verify(tokens.accessToken);
  auth.close();
  return verified.subject;
}

describe('tokenlease keygen', () => {
  it.each(['EdDSA', 'ES256', 'RS256'] satisfies Algorithm[])('prints a private %s JWK with alg and kid that createAuth signs with', async (alg) => {
    const jwk = await keysFrom(['--alg', alg]);
    expect(jwk).toMatchObject({ alg, kid: expect.any(String), d: expect.any(String) });
    expect(await issueAndVerify({ signing: jwk })).toBe('alice');
  });

  it('prints { secret } for HS256: the keys option itself, 32 random bytes', async () => {
    const keys = await keysFrom(['--alg', 'HS256']);
    expect(Object.keys(keys)).toEqual(['secret']);
    expect(Buffer.from(String(keys.secret), 'base64url')).toHaveLength(32);
    expect(await issueAndVerify(keys as KeyOptions)).toBe('alice');
  });

  it('makes an EdDSA key when --alg is left out', async () => {
    expect(await keysFrom([])).toMatchObject({ alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' });
  });
});
