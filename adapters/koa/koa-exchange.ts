import type { Context, Middleware } from 'koa';
import type { Endpoint, HttpRequest, HttpResponse } from '../http/index.js';

/** The shared handlers' view of a Koa request; a body parser's result is in `ctx.request.body`. */
export function toHttpRequest(ctx: Context): HttpRequest {
  const parsedBody = (ctx.request as { body?: unknown }).body;
  return { method: ctx.method, url: ctx.url, headers: ctx.req.headers, rawHeaders: ctx.req.rawHeaders, body: ctx.req, parsedBody };
}

/** Writes an answer through Koa's response, keeping an empty body empty (no `Content-Type`). */
export function writeResponse(ctx: Context, response: HttpResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body ?? '';
  if (response.body === undefined) ctx.remove('Content-Type');
}

/** Koa middleware around a shared endpoint; errors it does not own are thrown. */
export function koaHandler(endpoint: Endpoint<Context>, mountPath: string): Middleware {
  return async (ctx) => {
    writeResponse(ctx, await endpoint({ ...toHttpRequest(ctx), mountPath }, ctx));
  };
}
