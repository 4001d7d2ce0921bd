import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonObject } from '../../src/index.js';
import { decodeBase64url } from '../../src/lib/base64url.js';

/** The definition: the bytes of the text, when encoding them again gives the very same text. */
function canonicalDecode(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

const base64urlText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'AQgw_-+/=. %'.split('')), maxLength: 8 }),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
);

describe('decodeBase64url', () => {
  it('accepts exactly the canonical spellings, and decodes them to the same bytes', () => {
    fc.assert(
      fc.property(base64urlText, (text) => {
        expect(decodeBase64url(text)).toEqual(canonicalDecode(text));
      }),
      { numRuns: 5_000 },
    );
  });
});

/** A JSON object as text, from member lists whose names may repeat; values may nest further objects. */
type Members = readonly (readonly [string, Value])[];
type Value = number | string | readonly Value[] | { readonly members: Members };

const name = fc.constantFrom('a', 'b', 'c', '__proto__', '0', '1', '{', '"', ',', ']');
const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value; members: Members }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.constantFrom('x', '{"a":1,"a":2}', '[,]', '\\'),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('members').map((members) => ({ members })),
  ),
  members: fc.array(fc.tuple(name, tie('value')), { maxLength: 4 }),
})).value;

function text(value: Value): string {
  if (Array.isArray(value)) return `[${value.map(text).join(' , ')}]`;
  if (typeof value === 'object') return objectText((value as { members: Members }).members);
  return JSON.stringify(value);
}

function objectText(members: Members): string {
  return `{ ${members.map(([key, member]) => `${JSON.stringify(key)} : ${text(member)}`).join(',')} }`;
}

function repeatsName(value: Value): boolean {
  if (Array.isArray(value)) return value.some(repeatsName);
  if (typeof value !== 'object') return false;
  const { members } = value as { members: Members };
  return new Set(members.map(([key]) => key)).size !== members.length || members.some(([, member]) => repeatsName(member));
}

describe('parseJsonObject', () => {
  it('refuses an object exactly when some object in it repeats a member name, at any depth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), (members) => {
        const json = objectText(members);
        const parsed = parseJsonObject(Buffer.from(json));
        if (repeatsName({ members })) expect(parsed).toBeUndefined();
        else expect(parsed).toEqual(JSON.parse(json));
      }),
      { numRuns: 3_000 },
    );
  });

  it('sees a name repeated under another spelling, and repeated names in nested objects', () => {
    for (const json of ['{"a":1,"\\u0061":2}', '{"__proto__":1,"__proto__":2}', '{"x":{"b":1,"b":2}}', '{"x":[1,{"b":1,"b":2}]}']) {
      expect(parseJsonObject(Buffer.from(json))).toBeUndefined();
    }
    expect(parseJsonObject(Buffer.from('{"aud":["a","a"],"s":"{\\"a\\":1,\\"a\\":2}"}'))).toEqual({ aud: ['a', 'a'], s: '{"a":1,"a":2}' });
  });
});
