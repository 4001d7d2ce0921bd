import { createHash } from 'node:crypto';

/** SHA-256 of a string, base64url: how every store keeps a refresh token. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
