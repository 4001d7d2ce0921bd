import { randomBytes } from 'node:crypto';

/** A base64url string of `bytes` bytes from the CSPRNG. */
export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
