/**
 * What the Express and Koa adapters share: RFC 6750 bearer authentication,
 * the RFC 6749 / RFC 7009 token endpoints, bodies and cookies. Knows HTTP,
 * no framework. Internal to the package: the adapters re-export its types.
 *
 * @packageDocumentation
 */
export { authenticateRequest, resolveAuthenticateOptions } from './authenticate-request.js';
export type { AuthenticateBaseOptions } from './authenticate-request.js';
export type { BodyParameters } from './body-parameters.js';
export type { Endpoint } from './endpoint.js';
export type { HttpRequest, HttpRequestHead, HttpResponse } from './http-exchange.js';
export { resolveTokenEndpointOptions } from './token-endpoint-options.js';
export type { CookieOptions, TokenEndpointBaseOptions } from './token-endpoint-options.js';
export { jwksEndpoint, loginEndpoint, logoutEndpoint, revokeEndpoint, tokenEndpoint } from './token-endpoints.js';
