import type { Cluster, Redis } from 'ioredis';
import type { RevocationChannel, RevocationNotice } from '../../session/session-store.js';

type Listener = (notice: RevocationNotice) => void;

/**
 * The revocation broadcast of DESIGN section 4 over Redis pub/sub: every
 * instance publishes the revocations it makes on one channel and applies those
 * of the others, so a revoked session is refused everywhere within a moment,
 * without a store read per request. The subscription uses a duplicate of the
 * client (a subscribed connection can do nothing else), opened on the first
 * `subscribe` and closed when the last listener leaves or on {@link close}.
 */
export class RedisRevocationChannel implements RevocationChannel {
  readonly #client: Redis | Cluster;
  readonly #channel: string;
  readonly #listeners = new Set<Listener>();
  #subscriber: Redis | Cluster | undefined;

  /** @param channel the pub/sub channel, `<prefix>:revocations`. */
  constructor(client: Redis | Cluster, channel: string) {
    this.#client = client;
    this.#channel = channel;
  }

  async publish(notice: RevocationNotice): Promise<void> {
    await this.#client.publish(this.#channel, JSON.stringify(notice));
  }

  subscribe(listener: Listener): () => void {
    const entry: Listener = (notice) => listener(notice);
    this.#listeners.add(entry);
    this.#subscriber ??= this.#open();
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0) this.close();
    };
  }

  /** Closes the subscribed connection; a later `subscribe` opens a new one. */
  close(): void {
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
  }

  #open(): Redis | Cluster {
    const subscriber = this.#client.duplicate();
    // Subscribing on every 'ready' holds the subscription across reconnects, even when the
    // client's options refuse to queue commands while disconnected.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.#channel).catch(() => undefined);
    });
    // The connection reconnects by itself; an outage surfaces through the store's own commands.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const notice = parseNotice(message);
      if (notice !== undefined) for (const listener of this.#listeners) deliver(listener, notice);
    });
    // A duplicate of a lazyConnect client would wait for a command that a subscriber never sends.
    if (subscriber.status === 'wait') subscriber.connect().catch(() => undefined);
    return subscriber;
  }
}

function deliver(listener: Listener, notice: RevocationNotice): void {
  try {
    listener(notice);
  } catch {
    // A throwing listener must neither starve the others nor break the connection's reader.
  }
}

function parseNotice(message: string): RevocationNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { sessionIds, subject, at } = value as Record<string, unknown>;
  if (!Array.isArray(sessionIds) || !sessionIds.every((id) => typeof id === 'string')) return undefined;
  if (typeof at !== 'number' || !Number.isFinite(at) || (subject !== undefined && typeof subject !== 'string')) return undefined;
  return { sessionIds: sessionIds as string[], at, ...(subject === undefined ? {} : { subject }) };
}
