import { describe, expect, it } from 'vitest';
import { bearerChallenge } from '../../../adapters/http/bearer-challenge.js';

describe('bearerChallenge', () => {
  it('writes the RFC 6750 section 3 attributes in order', () => {
    expect(bearerChallenge('api')).toBe('Bearer realm="api"');
    expect(bearerChallenge('api', { error: 'insufficient_scope', description: 'Needs more', scope: ['a', 'b'] })).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Needs more", scope="a b"',
    );
  });

  it('escapes quotes and backslashes and drops what a header cannot carry', () => {
    expect(bearerChallenge('a "b" \\c\r\nSet-Cookie: x=y\u00e9')).toBe('Bearer realm="a \\"b\\" \\\\cSet-Cookie: x=y"');
  });
});
