import type { Request, RequestHandler, Response } from 'express';
import type { Endpoint, HttpRequest, HttpResponse } from '../http/index.js';

/** The shared handlers' view of an Express request. */
export function toHttpRequest(req: Request): HttpRequest {
  return { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body: req, parsedBody: req.body };
}

/** Writes an answer with Node's own response API, the same under Express 4 and 5. */
export function writeResponse(res: Response, response: HttpResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/**
 * An Express handler around a shared endpoint: it answers, or hands an error
 * it does not own to `next(err)` (Express 4 does not catch rejected promises).
 */
export function expressHandler(endpoint: Endpoint<Request>): RequestHandler {
  return (req, res, next) => {
    endpoint({ ...toHttpRequest(req), mountPath: req.baseUrl }, req).then((response) => writeResponse(res, response), next);
  };
}
