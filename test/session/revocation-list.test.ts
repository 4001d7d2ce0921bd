import { describe, expect, it } from 'vitest';
import { RevocationList } from '../../src/session/revocation-list.js';

describe('RevocationList', () => {
  it('refuses revoked sessions and tokens of a subject issued before its revocation', () => {
    const list = new RevocationList(600);
    list.apply({ sessionIds: ['s1'], subject: 'alice', at: 1000 }, 1000);
    expect(list.isRevoked('s1', 'bob', 1000, 1000)).toBe(true);
    expect(list.isRevoked('s2', 'alice', 999, 1000)).toBe(true);
    expect(list.isRevoked('s2', 'alice', 1000, 1000)).toBe(false);
    expect(list.isRevoked('s3', 'bob', 999, 1000)).toBe(false);
  });

  it('drops entries once no access token issued before them can be alive', () => {
    const list = new RevocationList(600);
    list.apply({ sessionIds: ['s1', 's2'], subject: 'alice', at: 1000 }, 1000);
    expect(list.size).toBe(3);
    expect(list.isRevoked('s1', 'bob', 1000, 1599)).toBe(true);
    expect(list.isRevoked('s1', 'bob', 1000, 1600)).toBe(false);
    expect(list.isRevoked('s2', 'alice', 999, 1600)).toBe(false);
    expect(list.isRevoked('s3', 'bob', 1000, 1700)).toBe(false);
    expect(list.size).toBe(0);
  });
});
