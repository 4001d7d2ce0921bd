import { afterEach, describe, expect, it, vi } from 'vitest';
import { RevocationReplay } from '../../src/session/revocation-replay.js';

/** A load whose calls wait until the test settles them, one by one. */
function controlledLoad() {
  const calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<void>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { load, calls };
}

describe('RevocationReplay', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads at once, and lets the first verifications wait for that load only', async () => {
    const { load, calls } = controlledLoad();
    const replay = new RevocationReplay(load, 1_000);
    expect(calls).toHaveLength(1);
    const starting = replay.starting;
    expect(starting).toBeInstanceOf(Promise);
    calls[0]?.resolve();
    await starting;
    expect(replay.starting).toBeUndefined();
    replay.close();
  });

  it('stops holding verifications when the first load fails, and tries again until one succeeds', async () => {
    vi.useFakeTimers();
    const { load, calls } = controlledLoad();
    const replay = new RevocationReplay(load, 1_000);
    calls[0]?.reject(new Error('store down'));
    await replay.starting;
    expect(replay.starting).toBeUndefined();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    replay.close();
  });

  it('folds the loads asked for while one runs into a single one after it', async () => {
    const { load, calls } = controlledLoad();
    const replay = new RevocationReplay(load, 1_000);
    void replay.request();
    void replay.request();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.resolve();
    await replay.request();
    expect(calls).toHaveLength(3);
    replay.close();
  });

  it('tries nothing more once closed', async () => {
    vi.useFakeTimers();
    const { load, calls } = controlledLoad();
    const replay = new RevocationReplay(load, 1_000);
    replay.close();
    calls[0]?.reject(new Error('store down'));
    await vi.advanceTimersByTimeAsync(5_000);
    await replay.request();
    expect(calls).toHaveLength(1);
  });
});
