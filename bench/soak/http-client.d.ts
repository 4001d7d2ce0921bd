// Types of http-client.js, for the reliability tests (TypeScript) that drive apps with it.
import type { Agent, IncomingHttpHeaders } from 'node:http';

/** A request that takes longer than this is abandoned and counted as a hang. */
export declare const HANG_MS: number;

/** One app process as the clients see it. */
export interface Target {
  readonly port: number;
  readonly agent: Agent;
  close(): void;
}

/** What a request sends. */
export interface OutgoingRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly form?: Record<string, string>;
  readonly json?: unknown;
}

/** The answer of a request, or `status: 0` with `error` when none came. */
export interface Answer {
  readonly status: number;
  readonly headers?: IncomingHttpHeaders;
  /** The parsed JSON of the answer (or its text). */
  readonly body?: any;
  readonly error?: string;
  /** performance.now() when the request was sent. */
  readonly started: number;
  /** Milliseconds until the answer ended. */
  readonly ms: number;
}

/** A keep-alive agent for one app process on 127.0.0.1:port. */
export declare function createTarget(port: number, options?: { maxSockets?: number }): Target;
/** Sends one request; never rejects. */
export declare function send(target: Target, request: OutgoingRequest): Promise<Answer>;
/** Seconds of a `Retry-After` header, or undefined. */
export declare function retryAfterOf(answer: Answer): number | undefined;
