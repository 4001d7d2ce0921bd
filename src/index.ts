export { AuthenticationManager } from './authentication-manager.js';
export { createAuth, type Auth } from './create-auth.js';
export type { AuthOptions } from './auth-options.js';
export { createVerifier, type VerifierOptions } from './create-verifier.js';
export type { TokenVerifier, VerifiedToken, VerifyOptions } from './access-token/access-token-claims.js';
export type { TokenSet, SessionInfo, IssueInput } from './token-set.js';
export type { SessionEvent, RevocationReason } from './session-event.js';
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
} from './session/session-store.js';
