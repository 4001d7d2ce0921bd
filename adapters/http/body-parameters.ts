import { InvalidRequestError, parseJsonObject } from '../../src/index.js';
import { headerValue, type HttpRequest } from './http-exchange.js';
import { readBodyBytes } from './read-body.js';

/** The parameters of a form or JSON body; form values are strings. */
export type BodyParameters = Readonly<Record<string, unknown>>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body's parameters. What a framework body parser already parsed (the
 * stream consumed) is used as is; otherwise the stream is read (bounded by
 * `limit`) and parsed as `application/x-www-form-urlencoded` or JSON. A
 * malformed body, an unknown content type or a repeated form parameter
 * (RFC 6749 section 3.2) is `invalid_request`, never a 500.
 */
export async function readBodyParameters(request: HttpRequest, limit: number): Promise<BodyParameters> {
  if (request.body.readableDidRead || request.body.readableEnded) return fromParsedBody(request);
  const encoding = headerValue(request, 'content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw invalid('content_encoding', 'Content-Encoding is not supported');
  const bytes = await readBodyBytes(request.body, headerValue(request, 'content-length'), limit);
  return parseBody(bytes, headerValue(request, 'content-type'));
}

/** Parses a raw form or JSON body by its `Content-Type`; an empty body has no parameters. */
export function parseBody(bytes: Uint8Array, contentType: string | undefined): BodyParameters {
  if (bytes.length === 0) return {};
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/x-www-form-urlencoded') return parseForm(decode(bytes));
  if (media === 'application/json' || media.endsWith('+json')) return jsonParameters(bytes);
  throw invalid('content_type', 'The body must be application/x-www-form-urlencoded or application/json');
}

/**
 * One parameter as a string, or `undefined` when absent. RFC 6749 section
 * 3.2: a parameter sent without a value is omitted, and one sent twice (an
 * array from a framework parser) is refused.
 */
export function stringParameter(parameters: BodyParameters, name: string): string | undefined {
  const value = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw invalid('repeated_parameter', `The parameter ${name} is repeated`);
  if (typeof value !== 'string') throw invalid('malformed_parameter', `The parameter ${name} must be a string`);
  return value;
}

function fromParsedBody(request: HttpRequest): BodyParameters {
  const parsed = request.parsedBody;
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed === 'string') return parseBody(Buffer.from(parsed), headerValue(request, 'content-type'));
  if (parsed instanceof Uint8Array) return parseBody(parsed, headerValue(request, 'content-type'));
  if (typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as BodyParameters;
  throw invalid('malformed_body', 'The body must be an object of parameters');
}

function parseForm(text: string): BodyParameters {
  const entries = [...new URLSearchParams(text)];
  const names = new Set(entries.map(([name]) => name));
  if (names.size !== entries.length) throw invalid('repeated_parameter', 'A form parameter is repeated');
  // fromEntries defines own properties: a `__proto__` parameter stays a plain key.
  return Object.fromEntries(entries);
}

function jsonParameters(bytes: Uint8Array): BodyParameters {
  const value = parseJsonObject(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // RFC 6749 section 3.2: a repeated parameter is refused, in JSON as in a form.
  if (value === undefined) throw invalid('malformed_body', 'The body must be one UTF-8 JSON object without repeated members');
  return value as BodyParameters;
}

function decode(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw invalid('malformed_body', 'The body is not valid UTF-8');
  }
}

function invalid(reason: string, message: string): InvalidRequestError {
  return new InvalidRequestError(reason, message);
}
