import { InvalidRequestError } from '../../src/index.js';
import { readCookie } from './cookie.js';
import { errorResponse } from './error-response.js';
import { headerValue, jsonResponse, withHeaders, type HttpRequest, type HttpResponse } from './http-exchange.js';
import type { CookieConfig } from './token-endpoint-options.js';

/** A request to a token endpoint: the request, and the path the endpoint is mounted under. */
export interface EndpointRequest extends HttpRequest {
  /** Where the router is mounted (Express `req.baseUrl`, the Koa `prefix`): the cookie's default `Path`. */
  readonly mountPath: string;
}

/** A framework-free endpoint; `native` is the framework's request, handed to the app's `login`. */
export type Endpoint<Native> = (request: EndpointRequest, native: Native) => Promise<HttpResponse>;

/** What every answer of a token endpoint carries (RFC 6749 section 5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * A POST-only token endpoint: 405 with `Allow: POST` for other methods,
 * `Cache-Control: no-store` on every answer, owned errors answered in RFC 6749
 * section 5.2 form, other errors thrown for the framework.
 */
export function postEndpoint<Native>(handle: Endpoint<Native>): Endpoint<Native> {
  return async (request, native) => {
    if (request.method !== 'POST') return withHeaders(methodNotAllowed('POST'), NO_STORE);
    try {
      return withHeaders(await handle(request, native), NO_STORE);
    } catch (error) {
      const response = errorResponse(error);
      if (response === undefined) throw error;
      return withHeaders(response, NO_STORE);
    }
  };
}

/** 405 with the methods the endpoint allows. */
export function methodNotAllowed(allow: string): HttpResponse {
  return jsonResponse(405, { error: 'invalid_request', error_description: `The method must be ${allow}` }, { Allow: allow });
}

/**
 * The cross-site request forgery guard of cookie mode: a request that carries
 * the cookie, or whose answer sets it (`setsCookie`), must come from an
 * allowed `Origin`. Returns the cookie's value, if any.
 */
export function guardCookie(request: EndpointRequest, cookie: CookieConfig | undefined, setsCookie: boolean): string | undefined {
  if (cookie === undefined) return undefined;
  const carried = readCookie(headerValue(request, 'cookie'), cookie.name);
  if (carried === undefined && !setsCookie) return undefined;
  const origin = headerValue(request, 'origin');
  if (origin === undefined || !cookie.allowedOrigins.includes(origin)) {
    throw new InvalidRequestError('origin', 'origin not allowed', 403);
  }
  return carried;
}

/** RFC 6749 section 3.2: token endpoint parameters travel in the body, never in the query string. */
export function refuseQueryParameters(request: EndpointRequest): void {
  const mark = request.url.indexOf('?');
  if (mark !== -1 && mark < request.url.length - 1) {
    throw new InvalidRequestError('query_parameters', 'Parameters must be sent in the body, not the query string');
  }
}
