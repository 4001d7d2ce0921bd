import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseBody, readBodyParameters, stringParameter } from '../../../adapters/http/body-parameters.js';
import type { HttpRequest } from '../../../adapters/http/http-exchange.js';
import { readBodyBytes } from '../../../adapters/http/read-body.js';
import { thrown } from '../support/thrown.js';

const FORM = 'application/x-www-form-urlencoded';

function post(body: Readable, headers: Record<string, string>, parsedBody?: unknown): HttpRequest {
  const rawHeaders = Object.entries(headers).flat();
  return { method: 'POST', url: '/token', headers, rawHeaders, body, parsedBody };
}

describe('parseBody', () => {
  it('parses forms and JSON objects, whatever the charset parameter or case', () => {
    const form = parseBody(Buffer.from('grant_type=refresh_token&refresh_token=a.b%2Bc&empty='), `${FORM}; charset=UTF-8`);
    expect(form).toEqual({ grant_type: 'refresh_token', refresh_token: 'a.b+c', empty: '' });
    expect(parseBody(Buffer.from('{"token":"x","n":1}'), 'Application/JSON')).toEqual({ token: 'x', n: 1 });
    expect(parseBody(Buffer.from('{"a":"b"}'), 'application/merge-patch+json')).toEqual({ a: 'b' });
    expect(parseBody(Buffer.alloc(0), undefined)).toEqual({});
  });

  it('keeps a __proto__ form parameter as a plain key', () => {
    const parameters = parseBody(Buffer.from('__proto__=x&token=t'), FORM);
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect(Object.hasOwn(parameters, '__proto__')).toBe(true);
  });

  it('refuses repeated form parameters, bad JSON, non-objects, bad UTF-8 and unknown types', () => {
    const cases = [
      ['token=a&token=b', FORM, 'repeated_parameter'],
      ['token=a&token=', FORM, 'repeated_parameter'],
      ['{"token":', 'application/json', 'malformed_body'],
      ['[1,2]', 'application/json', 'malformed_body'],
      ['null', 'application/json', 'malformed_body'],
      ['token=a', 'text/plain', 'content_type'],
      ['token=a', undefined, 'content_type'],
    ] as const;
    for (const [text, type, reason] of cases) {
      expect(thrown(() => parseBody(Buffer.from(text), type))).toMatchObject({ code: 'invalid_request', reason, status: 400 });
    }
    const latin1 = Buffer.from('token=\u00e9', 'latin1');
    expect(thrown(() => parseBody(latin1, FORM))).toMatchObject({ code: 'invalid_request', reason: 'malformed_body' });
  });
});

describe('stringParameter', () => {
  it('treats an empty value as omitted and refuses arrays and non-strings (RFC 6749 section 3.2)', () => {
    expect(stringParameter({ a: '' }, 'a')).toBeUndefined();
    expect(stringParameter({}, 'toString')).toBeUndefined();
    expect(stringParameter({ a: 'x' }, 'a')).toBe('x');
    expect(thrown(() => stringParameter({ a: ['x', 'y'] }, 'a'))).toMatchObject({ code: 'invalid_request', reason: 'repeated_parameter' });
    expect(thrown(() => stringParameter({ a: { b: 1 } }, 'a'))).toMatchObject({ code: 'invalid_request', reason: 'malformed_parameter' });
  });
});

describe('readBodyBytes', () => {
  it('stops at the first chunk past the limit, without waiting for the end of the stream', async () => {
    const stream = new PassThrough();
    const reading = readBodyBytes(stream, undefined, 10);
    stream.write('123456');
    stream.write('789012');
    await expect(reading).rejects.toMatchObject({ code: 'invalid_request', reason: 'body_too_large', status: 413 });
    expect(stream.writableEnded).toBe(false);
  });

  it('refuses a declared Content-Length beyond the limit before reading anything', async () => {
    const stream = Readable.from([Buffer.from('x')]);
    await expect(readBodyBytes(stream, '11', 10)).rejects.toMatchObject({ code: 'invalid_request', reason: 'body_too_large' });
    expect(stream.readableDidRead).toBe(false);
  });

  it('reads a body of exactly the limit', async () => {
    expect((await readBodyBytes(Readable.from([Buffer.from('12345'), Buffer.from('67890')]), '10', 10)).toString()).toBe('1234567890');
  });

  it('turns a stream error (a client gone mid-body) into invalid_request', async () => {
    const stream = new PassThrough();
    const reading = readBodyBytes(stream, undefined, 100);
    stream.destroy(new Error('aborted'));
    await expect(reading).rejects.toMatchObject({ code: 'invalid_request', reason: 'body_unreadable' });
  });
});

describe('readBodyParameters', () => {
  it("uses a framework parser's result once the stream was consumed, and reads the stream otherwise", async () => {
    const consumed = Readable.from([Buffer.from('ignored')]);
    for await (const _chunk of consumed);
    expect(await readBodyParameters(post(consumed, { 'content-type': FORM }, { token: 't' }), 100)).toEqual({ token: 't' });
    const raw = Readable.from([Buffer.from('token=s')]);
    expect(await readBodyParameters(post(raw, { 'content-type': FORM }, {}), 100)).toEqual({ token: 's' });
  });

  it('parses a raw Buffer or string a framework left, and refuses content encodings', async () => {
    const consumed = Readable.from([]);
    for await (const _chunk of consumed);
    expect(await readBodyParameters(post(consumed, { 'content-type': FORM }, Buffer.from('token=b')), 100)).toEqual({ token: 'b' });
    const gzip = post(Readable.from([Buffer.from('x')]), { 'content-type': FORM, 'content-encoding': 'gzip' });
    await expect(readBodyParameters(gzip, 100)).rejects.toMatchObject({ code: 'invalid_request', reason: 'content_encoding' });
  });
});
