/**
 * `tokenlease`: the framework-free core. Short-lived JWT access tokens (RFC 9068)
 * and rotating, revocable refresh-token sessions, with the in-memory store.
 *
 * @example
 * ```ts
 * import { createAuth } from 'tokenlease'
 * const auth = createAuth({ issuer: 'https://api.example.com', audience: 'api', keys: { secret: process.env.TOKENLEASE_SECRET! } })
 * ```
 *
 * @packageDocumentation
 * @module tokenlease
 */
export { AuthenticationManager } from './authentication-manager.js';
export { createAuth, type Auth, type PublicJwkSet } from './create-auth.js';
export type { AuthOptions } from './auth-options.js';
export { createVerifier, type VerifierOptions } from './create-verifier.js';
export type { TokenVerifier, VerifiedToken, VerifyOptions } from './access-token/access-token-claims.js';
export type { TokenSet, SessionInfo, IssueInput } from './token-set.js';
export type { SessionEvent, SessionEventBase, RevocationReason } from './session-event.js';
export type { Duration } from './duration.js';
export { generateSigningKey } from './keys/generate-signing-key.js';
export type { Algorithm, KeyOptions, Secret } from './keys/key-options.js';
export {
  TokenleaseError,
  InvalidTokenError,
  InsufficientScopeError,
  InvalidGrantError,
  InvalidRequestError,
  UnsupportedGrantTypeError,
  StoreUnavailableError,
  ConfigurationError,
  type ErrorCode,
  type InvalidGrantReason,
  type TokenleaseErrorOptions,
} from './errors.js';
export { MemoryStore } from './stores/memory-store.js';
export { parseJsonObject } from './access-token/compact-jws.js';
export { decideRotation, isLive, type RotationDecision } from './session/decide-rotation.js';
export type {
  SessionStore,
  SessionRecord,
  NewSession,
  CreatedSession,
  RotationStep,
  RotationOutcome,
  RotationResult,
  RevocationChannel,
  RevocationNotice,
  RevokedSession,
} from './session/session-store.js';
