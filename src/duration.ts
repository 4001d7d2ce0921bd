import { ConfigurationError } from './errors.js';

/** A duration: seconds as a number, or a string such as `'90s'`, `'15m'`, `'12h'`, `'14d'`, `'2w'` or `'250ms'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}`;

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * Turns a {@link Duration} into seconds, or throws a {@link ConfigurationError}
 * naming `option`. Zero is allowed only where `allowZero` says so.
 *
 * @example
 * ```ts
 * parseDuration('15m', 'accessTokenTtl') // 900
 * ```
 */
export function parseDuration(value: unknown, option: string, allowZero = false): number {
  const seconds = typeof value === 'string' ? fromString(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || (seconds === 0 && !allowZero)) {
    throw new ConfigurationError(option, `must be a ${allowZero ? 'non-negative' : 'positive'} duration such as 600 or '10m'`);
  }
  return seconds;
}

function fromString(value: string): number | undefined {
  const match = PATTERN.exec(value.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
}
