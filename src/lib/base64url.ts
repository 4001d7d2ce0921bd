import { Buffer } from 'node:buffer';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** Encodes bytes as unpadded base64url (RFC 4648 section 5). */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes unpadded base64url, or returns `undefined` when the text is not its
 * one canonical spelling: Node's decoder skips foreign characters and ignores
 * trailing bits, which would let several strings stand for the same bytes.
 */
export function decodeBase64url(text: string): Buffer | undefined {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : undefined;
}

/**
 * True when `text` is the one unpadded base64url spelling of some bytes: only
 * the alphabet, no length of 1 modulo 4, and the bits the last character
 * carries past the last byte all zero (RFC 4648 section 3.5). Such text
 * decodes and encodes back to itself.
 */
function isCanonicalBase64url(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 1 || !ALPHABET.test(text)) return false;
  if (tail === 0) return true;
  // Two characters carry one byte and 4 spare bits; three carry two bytes and 2 spare bits.
  const spare = tail === 2 ? 0x0f : 0x03;
  return (sextet(text.charCodeAt(text.length - 1)) & spare) === 0;
}

/** The 6-bit value of a base64url character already known to be in the alphabet. */
function sextet(code: number): number {
  if (code >= 0x61) return code - 0x61 + 26; // a-z
  if (code >= 0x41) return code === 0x5f ? 63 : code - 0x41; // _ (0x5f) sits after A-Z
  if (code >= 0x30) return code - 0x30 + 52; // 0-9
  return 62; // -
}
