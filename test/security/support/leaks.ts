import { format } from 'node:util';
import { afterAll, beforeAll, expect, vi } from 'vitest';

/** What a response exposes: its body text and its headers. */
export interface Exposed {
  readonly text?: string;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** Where else a token could leak: what the app logged and the events the core emitted. */
export interface Witnesses {
  readonly logs: readonly string[];
  readonly events: readonly unknown[];
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Records everything written through `console` while the calling file's tests
 * run (the apps log their errors there), instead of printing it.
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  const spies: { mockRestore(): void }[] = [];
  beforeAll(() => {
    for (const method of METHODS) {
      spies.push(vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(format(...args))));
    }
  });
  afterAll(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  return lines;
}

/**
 * The strings that must never come back: the token, and its parts long enough
 * to identify it (every segment of a JWT; the last part of anything else, the
 * secret of a refresh token, whose session id is public and shows in events by
 * design), from 16 characters on.
 */
export function secretsOf(token: string): string[] {
  const parts = token.split('.');
  const jwt = parts.length === 3 && token.startsWith('eyJ');
  const sensitive = jwt ? parts : parts.slice(-1);
  // Shorter strings (a garbage `x`) would match innocent text; a real token and its parts are far longer.
  return [...new Set([token, ...sensitive])].filter((part) => part.length >= 16);
}

/** Asserts that no secret of `tokens` shows in the response, the logs or the events. */
export function expectNoEcho(response: Exposed, tokens: readonly string[], witnesses: Witnesses): void {
  const surfaces: [string, string][] = [
    ['body', response.text ?? ''],
    ['headers', JSON.stringify(response.headers)],
    ['logs', witnesses.logs.join('\n')],
    ['events', JSON.stringify(witnesses.events)],
  ];
  for (const secret of tokens.flatMap(secretsOf)) {
    for (const [where, text] of surfaces) expect(text.includes(secret), `the ${where} echo a token`).toBe(false);
  }
}
