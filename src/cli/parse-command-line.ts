import { UsageError } from './usage-error.js';

/** The option every command accepts, for `parseArgs`: `-h` / `--help`. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Runs a strict `node:util` `parseArgs` call and turns its complaints (an
 * unknown option, a missing value, a stray positional) into a {@link UsageError}
 * pointing to the help of `command`.
 *
 * @example
 * ```ts
 * const { values } = parseCommandLine('keygen', () => parseArgs({ args, options, strict: true }))
 * ```
 */
export function parseCommandLine<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    // node's messages go on to advise on '--' for positionals; the first sentence is the problem.
    throw new UsageError(command, error.message.split('. ')[0] ?? error.message);
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}
