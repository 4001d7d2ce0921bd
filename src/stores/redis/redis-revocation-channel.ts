import type { Cluster, Redis } from 'ioredis';
import type { RevocationChannel, RevocationNotice } from '../../session/session-store.js';

interface Subscription {
  readonly listener: (notice: RevocationNotice) => void;
  readonly resync: (() => void) | undefined;
}

/** Wait before a subscribed connection that gave up reconnecting is replaced, maybe on another Cluster node. */
const REOPEN_DELAY_MS = 200;

/**
 * The revocation broadcast of DESIGN section 4 over Redis pub/sub: every
 * instance publishes the revocations it makes on one channel and applies those
 * of the others, so a revoked session is refused everywhere within a moment,
 * without a store read per request. The subscription holds a connection of its
 * own (a subscribed connection can do nothing else): a duplicate of a
 * standalone client, or of one node of a Cluster (a PUBLISH reaches every
 * node). It is opened on the first `subscribe` and closed when the last
 * listener leaves or on {@link close}.
 *
 * Pub/sub delivers only to connected subscribers: each time the subscription
 * becomes active (the first time too: a caller's load may have run before
 * it), every `resync` given to `subscribe` is called, so that its caller
 * reloads what it missed (`RedisStore.revokedSince`).
 */
export class RedisRevocationChannel implements RevocationChannel {
  readonly #client: Redis | Cluster;
  readonly #channel: string;
  readonly #subscriptions = new Set<Subscription>();
  #connection: Redis | undefined;
  #reopen: NodeJS.Timeout | undefined;

  /** @param channel the pub/sub channel, `<prefix>:revocations`. */
  constructor(client: Redis | Cluster, channel: string) {
    this.#client = client;
    this.#channel = channel;
  }

  async publish(notice: RevocationNotice): Promise<void> {
    await this.#client.publish(this.#channel, JSON.stringify(notice));
  }

  subscribe(listener: (notice: RevocationNotice) => void, resync?: () => void): () => void {
    const subscription: Subscription = { listener, resync };
    this.#subscriptions.add(subscription);
    if (this.#connection === undefined && this.#reopen === undefined) this.#open();
    return () => {
      this.#subscriptions.delete(subscription);
      if (this.#subscriptions.size === 0) this.close();
    };
  }

  /** Closes the subscribed connection; a later `subscribe` opens a new one. */
  close(): void {
    clearTimeout(this.#reopen);
    this.#reopen = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.disconnect();
  }

  #open(): void {
    this.#reopen = undefined;
    const connection = subscriberConnection(this.#client);
    if (connection === undefined) {
      // A Cluster client that knows no node yet: try again in a moment.
      this.#openLater();
      return;
    }
    this.#connection = connection;
    // Subscribing on every 'ready' holds the subscription across reconnects, even when the
    // client's options refuse to queue commands while disconnected.
    connection.on('ready', () => {
      connection.subscribe(this.#channel).then(() => this.#subscribed(connection), () => undefined);
    });
    // The connection reconnects by itself; an outage surfaces through the store's own commands.
    connection.on('error', () => undefined);
    // A Cluster node's connection does not reconnect (ioredis leaves that to slot refreshes),
    // nor does one whose retryStrategy gave up: replace it.
    connection.once('end', () => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      this.#openLater();
    });
    connection.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const notice = parseNotice(message);
      if (notice !== undefined) for (const { listener } of this.#subscriptions) guarded(() => listener(notice));
    });
  }

  #openLater(): void {
    this.#reopen = setTimeout(() => this.#open(), REOPEN_DELAY_MS);
    this.#reopen.unref();
  }

  #subscribed(connection: Redis): void {
    if (this.#connection !== connection) return;
    for (const { resync } of this.#subscriptions) if (resync !== undefined) guarded(resync);
  }
}

/** A new connection for the subscription, connecting at once, or `undefined` when a Cluster knows no node yet. */
function subscriberConnection(client: Redis | Cluster): Redis | undefined {
  if (!client.isCluster) return (client as Redis).duplicate({ lazyConnect: false });
  const nodes = (client as Cluster).nodes('all');
  return nodes[Math.floor(Math.random() * nodes.length)]?.duplicate({ lazyConnect: false });
}

function guarded(call: () => void): void {
  try {
    call();
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
