import { StoreUnavailableError } from '../errors.js';
import type { RotationStep } from './session-store.js';

/**
 * Throws when a store reaches a write after its caller's deadline
 * ({@link RotationStep.deadline}): the caller has already answered 503, so the
 * write would change what its client believes (a rotated token it never got,
 * a session nobody holds).
 */
export function checkDeadline(deadline: number | undefined): void {
  if (deadline !== undefined && Date.now() > deadline) throw new StoreUnavailableError('timeout');
}
