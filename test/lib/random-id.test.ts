import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/lib/random-id.js';

describe('randomId', () => {
  it('gives ids of the asked length that never repeat, across refills of its pool', () => {
    const seen = new Set<string>();
    // 2,000 ids of 16 or 32 bytes draw several 4 KiB pages, including ids that would straddle a page.
    for (let i = 0; i < 2_000; i++) {
      const bytes = i % 3 === 0 ? 32 : 16;
      const id = randomId(bytes);
      expect(Buffer.from(id, 'base64url')).toHaveLength(bytes);
      seen.add(id);
    }
    expect(seen.size).toBe(2_000);
    expect(Buffer.from(randomId(5_000), 'base64url')).toHaveLength(5_000);
  });
});
