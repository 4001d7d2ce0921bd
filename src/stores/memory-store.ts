import { decideRotation } from '../session/decide-rotation.js';
import type {
  CreatedSession,
  NewSession,
  RotationResult,
  RevokedSession,
  RotationStep,
  SessionRecord,
  SessionStore,
} from '../session/session-store.js';
import { checkDeadline } from '../session/store-deadline.js';
import { ExpiryHeap, type HeapItem } from '../lib/expiry-heap.js';
import { randomId } from '../lib/random-id.js';

class Entry implements HeapItem {
  record: SessionRecord;
  /** Hashes of the session's rotated tokens and when each was consumed, made on first rotation. */
  consumed: Map<string, number> | undefined = undefined;
  heapIndex = -1;

  constructor(record: SessionRecord) {
    this.record = record;
  }

  get expiresAt(): number {
    return this.record.expiresAt;
  }
}

/**
 * The live session ids of one subject: a bare id while there is one (most
 * subjects), a Set beyond, which keeps memory per session low.
 */
type SubjectSessions = string | Set<string>;

/**
 * Sessions in this process's memory: the default store, for tests and single
 * processes. Every method runs to completion without awaiting, so each is
 * atomic. Expired sessions are dropped as time passes (a heap by expiry, as the
 * TTL registry does for tokens); counting is O(log n) amortized.
 *
 * @example
 * ```ts
 * const auth = createAuth({ issuer, audience, keys, store: new MemoryStore() })
 * ```
 */
export class MemoryStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #heap = new ExpiryHeap<Entry>();
  /** Live (not revoked) session ids of each subject; expired ones leave at the next purge. */
  readonly #bySubject = new Map<string, SubjectSessions>();
  #revokedCount = 0;

  async create(session: NewSession, now: number, limit?: number, deadline?: number): Promise<CreatedSession> {
    checkDeadline(deadline);
    this.#purge(now);
    const evicted: SessionRecord[] = [];
    while (limit !== undefined && this.#idsOf(session.subject).length >= limit) {
      const oldest = this.#oldest(this.#idsOf(session.subject));
      if (oldest === undefined) break;
      evicted.push(this.#revokeEntry(oldest, now));
    }
    const record: SessionRecord = { ...session, id: randomId(16) };
    const entry = new Entry(record);
    this.#entries.set(record.id, entry);
    this.#heap.push(entry);
    this.#joinSubject(record);
    return { session: record, evicted };
  }

  async rotate(step: RotationStep): Promise<RotationResult> {
    checkDeadline(step.deadline);
    const entry = this.#entries.get(step.sessionId);
    const decision = decideRotation(entry?.record ?? null, entry?.consumed?.get(step.presentedHash), step);
    if (entry !== undefined && decision.write && decision.session !== null) {
      if (decision.consume) (entry.consumed ??= new Map()).set(step.presentedHash, step.now);
      if (decision.session.revokedAt !== undefined && entry.record.revokedAt === undefined) {
        this.#revokeEntry(entry, decision.session.revokedAt);
      } else {
        this.#replace(entry, decision.session);
      }
    }
    this.#purge(step.now);
    return { outcome: decision.outcome, session: entry === undefined ? null : (decision.session ?? null) };
  }

  async find(sessionId: string): Promise<SessionRecord | null> {
    return this.#entries.get(sessionId)?.record ?? null;
  }

  async revoke(sessionId: string, now: number, tokenHash?: string): Promise<RevokedSession | null> {
    const entry = this.#entries.get(sessionId);
    if (entry === undefined || entry.record.expiresAt <= now) return null;
    const owns = tokenHash === undefined || tokenHash === entry.record.tokenHash || entry.consumed?.has(tokenHash) === true;
    if (!owns) return null;
    if (entry.record.revokedAt !== undefined) return { session: entry.record, already: true };
    return { session: this.#revokeEntry(entry, now), already: false };
  }

  async revokeSubject(subject: string, now: number): Promise<readonly string[]> {
    this.#purge(now);
    const ids = this.#idsOf(subject);
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) this.#revokeEntry(entry, now);
    }
    return ids;
  }

  async count(now: number, subject?: string): Promise<number> {
    this.#purge(now);
    if (subject === undefined) return this.#heap.size - this.#revokedCount;
    const ids = this.#bySubject.get(subject);
    return ids === undefined ? 0 : typeof ids === 'string' ? 1 : ids.size;
  }

  async list(subject: string, now: number): Promise<readonly SessionRecord[]> {
    this.#purge(now);
    const records = this.#idsOf(subject).flatMap((id) => this.#entries.get(id)?.record ?? []);
    return records.sort((a, b) => a.createdAt - b.createdAt);
  }

  #purge(now: number): void {
    for (let first = this.#heap.peek(); first !== undefined && first.expiresAt <= now; first = this.#heap.peek()) {
      this.#heap.remove(first);
      this.#entries.delete(first.record.id);
      if (first.record.revokedAt !== undefined) this.#revokedCount--;
      else this.#leaveSubject(first.record);
    }
  }

  #replace(entry: Entry, record: SessionRecord): void {
    const moved = entry.expiresAt !== record.expiresAt;
    entry.record = record;
    if (moved) {
      this.#heap.update(entry);
    }
  }

  #revokeEntry(entry: Entry, now: number): SessionRecord {
    this.#replace(entry, { ...entry.record, revokedAt: now });
    this.#revokedCount++;
    this.#leaveSubject(entry.record);
    return entry.record;
  }

  #oldest(ids: readonly string[]): Entry | undefined {
    let oldest: Entry | undefined;
    for (const id of ids) {
      const entry = this.#entries.get(id);
      if (entry !== undefined && (oldest === undefined || entry.record.createdAt < oldest.record.createdAt)) oldest = entry;
    }
    return oldest;
  }

  #idsOf(subject: string): string[] {
    const ids = this.#bySubject.get(subject);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : [...ids];
  }

  #joinSubject(record: SessionRecord): void {
    const ids = this.#bySubject.get(record.subject);
    if (ids === undefined) this.#bySubject.set(record.subject, record.id);
    else if (typeof ids === 'string') this.#bySubject.set(record.subject, new Set([ids, record.id]));
    else ids.add(record.id);
  }

  #leaveSubject(record: SessionRecord): void {
    const ids = this.#bySubject.get(record.subject);
    if (ids === record.id) this.#bySubject.delete(record.subject);
    else if (typeof ids === 'object') {
      ids.delete(record.id);
      if (ids.size === 1) this.#bySubject.set(record.subject, ids.values().next().value as string);
    }
  }
}
