import { InsufficientScopeError, StoreUnavailableError, TokenleaseError } from '../../src/index.js';
import { bearerChallenge } from './bearer-challenge.js';
import { emptyResponse, jsonResponse, type HttpResponse } from './http-exchange.js';

/** `error_description` of refused access tokens, by the core's reason; never the token itself. */
const TOKEN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  expired: 'The access token expired',
  revoked: 'The access token was revoked',
  session_ended: 'The session of the access token ended',
};

/**
 * The answer to an error a handler owns: a tokenlease error with an RFC code
 * (400, 401, 403, 413, 503 with `Retry-After`). With a `realm`, it answers as
 * a protected resource (RFC 6750 section 3, with `WWW-Authenticate`); without,
 * as a token endpoint (RFC 6749 section 5.2). Returns `undefined` for anything
 * else, which goes to the framework's error path.
 */
export function errorResponse(error: unknown, realm?: string): HttpResponse | undefined {
  if (!(error instanceof TokenleaseError) || error.code === 'invalid_configuration') return undefined;
  if (error instanceof StoreUnavailableError) {
    const body = { error: error.code, error_description: 'The service is temporarily unavailable, retry later' };
    return jsonResponse(503, body, { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfter))) });
  }
  if (realm !== undefined && error.code === 'invalid_token' && error.status === 401) return tokenRefusal(realm, error.reason);
  return buildResponse(error, realm);
}

/** The 401 of a request without credentials (RFC 6750 section 3.1): a challenge, no error. */
export function challengeResponse(realm: string): HttpResponse {
  let response = CHALLENGES.get(realm);
  if (response === undefined) {
    if (CHALLENGES.size >= MAX_REALMS) CHALLENGES.clear();
    response = frozen(emptyResponse(401, { 'WWW-Authenticate': bearerChallenge(realm) }));
    CHALLENGES.set(realm, response);
  }
  return response;
}

function buildResponse(error: TokenleaseError, realm: string | undefined): HttpResponse {
  const description = error.code === 'invalid_token' ? tokenDescription(error.reason) : error.message;
  const body = { error: error.code, error_description: description };
  if (realm === undefined || error.status === 413) return jsonResponse(error.status, body);
  const scope = error instanceof InsufficientScopeError ? error.scope : undefined;
  const challenge = bearerChallenge(realm, { error: error.code, description, ...(scope === undefined ? {} : { scope }) });
  return jsonResponse(error.status, body, { 'WWW-Authenticate': challenge });
}

function tokenDescription(reason: string): string {
  return TOKEN_DESCRIPTIONS[reason] ?? 'The access token is invalid';
}

/*
 * The 401 answers, by realm and then by the refusal's reason, each built once:
 * they depend on nothing else, and a refused token should cost no more than an
 * accepted one. Frozen, since one object answers many requests. Bounded: a
 * verifier with reasons of its own only makes a realm's answers start over.
 */
const CHALLENGES = new Map<string, HttpResponse>();
const REFUSALS = new Map<string, Map<string, HttpResponse>>();
const MAX_REALMS = 16;
const MAX_REASONS = 64;

function tokenRefusal(realm: string, reason: string): HttpResponse {
  let answers = REFUSALS.get(realm);
  if (answers === undefined) {
    if (REFUSALS.size >= MAX_REALMS) REFUSALS.clear();
    REFUSALS.set(realm, (answers = new Map()));
  }
  let response = answers.get(reason);
  if (response === undefined) {
    if (answers.size >= MAX_REASONS) answers.clear();
    const description = tokenDescription(reason);
    const challenge = bearerChallenge(realm, { error: 'invalid_token', description });
    response = frozen(jsonResponse(401, { error: 'invalid_token', error_description: description }, { 'WWW-Authenticate': challenge }));
    answers.set(reason, response);
  }
  return response;
}

function frozen(response: HttpResponse): HttpResponse {
  return Object.freeze({ ...response, headers: Object.freeze({ ...response.headers }) });
}
