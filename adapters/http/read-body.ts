import type { Readable } from 'node:stream';
import { InvalidRequestError } from '../../src/index.js';

/**
 * The raw body, at most `limit` bytes. A declared `Content-Length` beyond it
 * is refused before reading; otherwise the stream is read with a running byte
 * count and abandoned (413) as soon as it passes the limit, its remaining
 * bytes drained unbuffered so that the connection stays usable.
 */
export async function readBodyBytes(stream: Readable, contentLength: string | undefined, limit: number): Promise<Buffer> {
  if (contentLength !== undefined && Number(contentLength) > limit) throw tooLarge(limit);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void): void => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      outcome();
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size <= limit) return void chunks.push(bytes);
      settle(() => reject(tooLarge(limit)));
      stream.resume();
    };
    const onEnd = (): void => settle(() => resolve(Buffer.concat(chunks, size)));
    const onError = (error: unknown): void => settle(() => reject(unreadable(error)));
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function tooLarge(limit: number): InvalidRequestError {
  return new InvalidRequestError('body_too_large', `The request body is larger than ${limit} bytes`, 413);
}

function unreadable(cause: unknown): InvalidRequestError {
  const error = new InvalidRequestError('body_unreadable', 'The request body could not be read');
  return Object.assign(error, { cause });
}
