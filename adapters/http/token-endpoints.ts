import { InvalidRequestError, UnsupportedGrantTypeError, type IssueInput, type TokenSet } from '../../src/index.js';
import { readBodyParameters, stringParameter, type BodyParameters } from './body-parameters.js';
import { cookiePath, serializeCookie } from './cookie.js';
import { guardCookie, methodNotAllowed, postEndpoint, refuseQueryParameters, type Endpoint, type EndpointRequest } from './endpoint.js';
import { emptyResponse, jsonResponse, type HttpResponse } from './http-exchange.js';
import type { TokenEndpointConfig } from './token-endpoint-options.js';

/** The app's login, as the shared handler calls it: the parsed body and the framework's request. */
export type LoginCallback<Native> = (body: BodyParameters, native: Native) => Promise<IssueInput | null | undefined> | IssueInput | null | undefined;

/** `POST /login`: the app checks the credentials; a session starts (200, RFC 6749 section 5.1) or 401. */
export function loginEndpoint<Native>(config: TokenEndpointConfig, login: LoginCallback<Native>): Endpoint<Native> {
  return postEndpoint(async (request, native) => {
    guardCookie(request, config.cookie, true);
    const body = await readBodyParameters(request, config.maxBodySize);
    const grant = await login(body, native);
    if (grant === null || grant === undefined) {
      return jsonResponse(401, { error: 'invalid_credentials', error_description: 'The credentials are invalid' });
    }
    return tokenResponse(config, request, await config.auth.issue(grant));
  });
}

/** `POST /token`: the RFC 6749 section 6 refresh grant, from the body or the cookie. */
export function tokenEndpoint(config: TokenEndpointConfig): Endpoint<unknown> {
  return postEndpoint(async (request) => {
    refuseQueryParameters(request);
    const carried = guardCookie(request, config.cookie, true);
    const body = await readBodyParameters(request, config.maxBodySize);
    const grantType = stringParameter(body, 'grant_type');
    if (grantType === undefined) throw missing('grant_type');
    if (grantType !== 'refresh_token') throw new UnsupportedGrantTypeError();
    // An explicit token is the one meant: never fall back to the cookie when it fails.
    const token = stringParameter(body, 'refresh_token') ?? carried;
    if (token === undefined) throw missing('refresh_token');
    return tokenResponse(config, request, await config.auth.refresh(token));
  });
}

/** `POST /revoke`: RFC 7009; 200 for every well-formed request, unknown tokens included. */
export function revokeEndpoint(config: TokenEndpointConfig): Endpoint<unknown> {
  return postEndpoint(async (request) => {
    refuseQueryParameters(request);
    guardCookie(request, config.cookie, false);
    const body = await readBodyParameters(request, config.maxBodySize);
    const token = stringParameter(body, 'token');
    if (token === undefined) throw missing('token');
    // The hint is only a hint (RFC 7009 section 2.1), but a repeated one is refused (RFC 6749 section 3.2).
    stringParameter(body, 'token_type_hint');
    // RFC 7009 section 2.2.1: this server cannot revoke access tokens (they expire on their own);
    // anything else that is not a live refresh token is simply unknown, and answered 200.
    if (token.split('.').length === 3 && (await isAccessToken(config, token))) {
      return jsonResponse(400, { error: 'unsupported_token_type', error_description: 'Only refresh tokens can be revoked' });
    }
    await config.auth.revoke(token);
    return emptyResponse(200);
  });
}

/** `POST /logout`: revokes the session of the refresh token in the body or the cookie (204), and clears the cookie. */
export function logoutEndpoint(config: TokenEndpointConfig): Endpoint<unknown> {
  return postEndpoint(async (request) => {
    refuseQueryParameters(request);
    const carried = guardCookie(request, config.cookie, false);
    const body = await readBodyParameters(request, config.maxBodySize);
    const token = stringParameter(body, 'refresh_token') ?? carried;
    if (token === undefined) throw missing('refresh_token');
    await config.auth.revoke(token);
    const cookie = config.cookie;
    if (cookie === undefined) return emptyResponse(204);
    const cleared = serializeCookie(cookie.name, '', { path: cookie.path ?? cookiePath(request.mountPath), maxAge: 0, secure: cookie.secure });
    return emptyResponse(204, { 'Set-Cookie': cleared });
  });
}

/** `GET /jwks.json`: the public keys, cacheable for five minutes. */
export function jwksEndpoint(config: TokenEndpointConfig): Endpoint<unknown> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    return jsonResponse(200, config.auth.jwks(), { 'Cache-Control': 'public, max-age=300' });
  };
}

/** RFC 6749 section 5.1; in cookie mode the refresh token goes to the cookie, never the body. */
function tokenResponse(config: TokenEndpointConfig, request: EndpointRequest, tokens: TokenSet): HttpResponse {
  const cookie = config.cookie;
  const body = {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    ...(cookie === undefined ? { refresh_token: tokens.refreshToken } : {}),
    ...(tokens.scope === undefined ? {} : { scope: tokens.scope }),
  };
  if (cookie === undefined) return jsonResponse(200, body);
  const path = cookie.path ?? cookiePath(request.mountPath);
  const setCookie = serializeCookie(cookie.name, tokens.refreshToken, { path, maxAge: tokens.refreshExpiresIn, secure: cookie.secure });
  return jsonResponse(200, body, { 'Set-Cookie': setCookie });
}

function missing(parameter: string): InvalidRequestError {
  return new InvalidRequestError('missing_parameter', `The parameter ${parameter} is required`);
}

/** True for an access token of this server, valid or merely expired or revoked. */
async function isAccessToken(config: TokenEndpointConfig, token: string): Promise<boolean> {
  return config.auth.verify(token).then(
    () => true,
    (error: { reason?: unknown }) => error.reason === 'expired' || error.reason === 'revoked',
  );
}
