import { createPrivateKey } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAuth, createVerifier, generateSigningKey } from '../../src/index.js';
import { decodeJws, forgeAsymmetric } from '../support/forge.js';
import { ISSUER } from './support/auth-fixture.js';
import { frameworks } from './support/frameworks.js';
import { serve } from './support/serve.js';

const ALICE = { username: 'alice', password: 'alice-password', scope: 'read' };

describe.each(frameworks)('a verify-only service on $name', (framework) => {
  it('trusts tokens of another app through its /jwks.json on 127.0.0.1, and refuses forgeries', async () => {
    const auth = createAuth({ issuer: ISSUER, audience: 'api', keys: { signing: generateSigningKey('EdDSA') } });
    const issuerUrl = await serve(framework.app({ verifier: auth, router: { auth } }));
    const verifier = createVerifier({ issuer: ISSUER, audience: 'api', jwksUrl: `${issuerUrl}/auth/jwks.json` });
    const apiUrl = await serve(framework.app({ verifier, protect: { scope: 'read' } }));

    const login = (await request(issuerUrl).post('/auth/login').send(ALICE)).body;
    const me = await request(apiUrl).get('/api/me').set('Authorization', `Bearer ${login.access_token}`);
    expect(me.status).toBe(200);
    expect(me.body.auth).toMatchObject({ subject: 'alice', scope: 'read' });

    const { header, payload } = decodeJws(login.access_token);
    const stranger = createPrivateKey({ key: generateSigningKey('EdDSA'), format: 'jwk' });
    const forged = forgeAsymmetric({ ...header, alg: 'EdDSA' }, payload, stranger);
    const refused = await request(apiUrl).get('/api/me').set('Authorization', `Bearer ${forged}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(
      `Bearer realm="${ISSUER}", error="invalid_token", error_description="The access token is invalid"`,
    );
  });

  it('answers 503 with Retry-After when the JWK Set cannot be fetched', async () => {
    const auth = createAuth({ issuer: ISSUER, audience: 'api', keys: { signing: generateSigningKey('EdDSA') } });
    const { accessToken } = await auth.issue({ subject: 'alice' });
    const verifier = createVerifier({ issuer: ISSUER, audience: 'api', jwksUrl: 'http://127.0.0.1:9/auth/jwks.json' });
    const apiUrl = await serve(framework.app({ verifier }));
    const response = await request(apiUrl).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.error).toBe('temporarily_unavailable');
  });
});
