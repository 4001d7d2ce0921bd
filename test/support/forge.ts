import { createHmac, sign, type KeyObject } from 'node:crypto';

/** base64url of a JSON value or of raw text, as an attacker would write a segment. */
export function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A compact JWS signed with HMAC-SHA-256 over whatever header and payload a test chooses. */
export function forgeHs256(header: unknown, payload: unknown, secret: string | Buffer): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A compact JWS signed with an asymmetric key (EdDSA, ES256 as R||S, or RS256). */
export function forgeAsymmetric(header: { alg: string } & Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const hash = header.alg === 'EdDSA' ? null : 'sha256';
  const signature = sign(hash, Buffer.from(input), header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

/** Decodes the header and payload of a compact JWS without checking anything. */
export function decodeJws(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  };
}
