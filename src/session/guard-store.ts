import { StoreUnavailableError, TokenleaseError } from '../errors.js';

/**
 * Runs one store call with a deadline: a store that throws or does not answer
 * within `timeoutMs` becomes a {@link StoreUnavailableError} (503), never a hang
 * or a 500. Errors of tokenlease itself pass through.
 */
export async function guardStore<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError('timeout')), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), deadline]);
  } catch (error) {
    if (error instanceof TokenleaseError) throw error;
    throw new StoreUnavailableError('failed', error);
  } finally {
    clearTimeout(timer);
  }
}
