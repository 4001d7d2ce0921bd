import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '../../errors.js';
import { PAST_DEADLINE } from './lua/prelude.js';

/** Runs one Lua script with its keys and arguments; resolves to the script's reply. */
export type ScriptRunner = (keys: readonly string[], args: readonly string[]) => Promise<unknown>;

/**
 * Registers a script on the client with ioredis `defineCommand`, which sends
 * EVALSHA and falls back to EVAL when the server does not know the script (a
 * new connection, a restarted server, another Cluster node). A script that
 * refuses a step past its deadline ({@link PAST_DEADLINE}) rejects with a
 * {@link StoreUnavailableError} `timeout`, as the core would have.
 */
export function defineScript(client: Redis | Cluster, name: string, lua: string, numberOfKeys: number): ScriptRunner {
  client.defineCommand(name, { lua, numberOfKeys });
  const command = Reflect.get(client, name) as (...args: string[]) => Promise<unknown>;
  return (keys, args) => command.call(client, ...keys, ...args).catch(rethrow);
}

function rethrow(error: unknown): never {
  if (error instanceof Error && error.message.startsWith(PAST_DEADLINE)) throw new StoreUnavailableError('timeout', error);
  throw error;
}
