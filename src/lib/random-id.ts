import { randomFillSync } from 'node:crypto';

/*
 * CSPRNG bytes drawn a page at a time and handed out once each, as Node does
 * for randomUUID: one call into OpenSSL costs more than the 16 or 32 bytes
 * an id takes, and every refresh takes one.
 */
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

/** A base64url string of `bytes` bytes from the CSPRNG. */
export function randomId(bytes: number): string {
  if (bytes > POOL.length) return randomFillSync(Buffer.alloc(bytes)).toString('base64url');
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const id = POOL.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return id;
}
