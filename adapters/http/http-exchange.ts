import type { Readable } from 'node:stream';

/**
 * The head of a request: all `authenticate` reads. Node's `IncomingMessage`
 * is one as it stands, so the middleware allocates nothing to build it.
 */
export interface HttpRequestHead {
  readonly method?: string | undefined;
  /** The request target as received: path and query string. */
  readonly url?: string | undefined;
  /** Header values as Node parsed them (lower-case names; only the first `authorization` kept). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Names and values as received, alternating: the only place a repeated `authorization` shows. */
  readonly rawHeaders: readonly string[];
}

/**
 * What the token endpoints need to know of a request, whatever framework
 * received it. Express and Koa build it from Node's `IncomingMessage`.
 */
export interface HttpRequest extends HttpRequestHead {
  readonly method: string;
  readonly url: string;
  /** The body stream: unread, unless a framework body parser consumed it. */
  readonly body: Readable;
  /** What a framework body parser made of the body (Express `req.body`, Koa `ctx.request.body`). */
  readonly parsedBody: unknown;
}

/** An answer for a framework to write out: status, headers, and a JSON body or none. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized JSON, or `undefined` for an empty body. */
  readonly body: string | undefined;
}

/** A JSON answer. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** An answer with no body. */
export function emptyResponse(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: undefined };
}

/** The same answer with more headers (the given ones win). */
export function withHeaders(response: HttpResponse, headers: Record<string, string>): HttpResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** The first value of a header, or `undefined`. */
export function headerValue(request: HttpRequestHead, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** How many times a header was sent, counted in the raw headers (case-insensitive). */
export function countHeader(request: HttpRequestHead, name: string): number {
  return rawHeader(request, name).count;
}

/**
 * How many times a header was sent and its first value, from the raw headers
 * alone: Node builds `request.headers` on first use, which would cost a
 * request with a cached token more than the rest of its check.
 */
export function rawHeader(request: HttpRequestHead, name: string): { readonly count: number; readonly value: string | undefined } {
  let count = 0;
  let value: string | undefined;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const header = raw[index];
    // The length first: lower-casing every other header name would cost more than the rest.
    if (header !== undefined && header.length === name.length && header.toLowerCase() === name) {
      count += 1;
      value ??= raw[index + 1];
    }
  }
  return { count, value };
}

/** The query string's parameters (empty when there is none). */
export function queryParameters(request: HttpRequestHead): URLSearchParams {
  const url = request.url ?? '';
  const mark = url.indexOf('?');
  return new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
}
