import type { Buffer } from 'node:buffer';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The parts of a compact JWS, decoded but not yet trusted. Only the one
 * canonical base64url spelling of each segment is accepted, so a token has
 * exactly one string form; JWE (five segments) and the JSON serialization are
 * not compact JWS.
 */
export interface CompactJws {
  readonly header: Readonly<Record<string, unknown>>;
  /** The ASCII bytes the signature covers: `header.payload`. */
  readonly signingInput: string;
  readonly payloadSegment: string;
  readonly signature: Buffer;
}

/**
 * Parses UTF-8 JSON that must be an object (RFC 7519 section 7.2), refusing
 * invalid UTF-8 and duplicate member names (RFC 7515 section 4 allows a parser
 * to reject them; accepting the last one lets two readers disagree). Returns
 * `undefined` for anything else. The adapters parse JSON token requests with it
 * too, where a repeated parameter must be refused (RFC 6749 section 3.2).
 *
 * @example
 * ```ts
 * parseJsonObject(Buffer.from('{"a":1,"a":2}')) // undefined
 * ```
 */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  let text: string;
  let value: unknown;
  try {
    text = UTF8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return hasDuplicateMembers(text, value) ? undefined : (value as Record<string, unknown>);
}

/**
 * True when any object in the (already valid) JSON text of `value` repeats a
 * member name. A flat object (arrays allowed, as `aud` is), the shape of
 * nearly every header and claims set, needs no names kept: it repeats one
 * exactly when the text holds more names than the parsed object has keys
 * (JSON.parse defines every distinct name as an own property, `__proto__`
 * too). Nested objects take the full scan.
 */
function hasDuplicateMembers(text: string, value: object): boolean {
  let depth = 0;
  let names = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      if (expectKey) names += 1;
      expectKey = false;
      i = stringEnd(text, i);
    } else if (char === 0x7b) {
      if (depth !== 0) return hasDuplicateNames(text);
      depth = 1;
      expectKey = true;
    } else if (char === 0x5b) {
      depth += 1;
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    } else if (char === 0x2c) {
      expectKey = depth === 1;
    }
  }
  return names !== Object.keys(value).length;
}

/**
 * True when any object in the (already valid) JSON text repeats a member name.
 * A single pass with an explicit stack: no recursion, so deep nesting cannot
 * overflow it.
 */
function hasDuplicateNames(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.has(name)) return true;
        top.add(name);
      }
      expectKey = false;
      i = end;
    } else if (char === 0x7b) {
      stack.push(new Set());
      expectKey = true;
    } else if (char === 0x5b) {
      stack.push(null);
    } else if (char === 0x7d || char === 0x5d) {
      stack.pop();
    } else if (char === 0x2c) {
      expectKey = stack[stack.length - 1] !== null;
    }
  }
  return false;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
  return i;
}
