import { ConfigurationError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { KEYGEN_HELP, runKeygen } from './commands/keygen.js';
import { SESSIONS_HELP } from './commands/sessions-help.js';
import { runSessions } from './commands/sessions.js';
import { messageOf } from './message-of.js';
import { UsageError } from './usage-error.js';

/** The help of `tokenlease` itself. */
const MAIN_HELP = `Usage: tokenlease <command> [options]

Commands:
  keygen    Print a new signing key for createAuth({ keys })
  sessions  Count, list or revoke the sessions of a SQLite or Redis store

Options:
  -h, --help  Show this help. "tokenlease <command> --help" shows a command's.

Exit status: 0 on success, 1 when a store cannot be reached or fails,
2 for a bad command line.
`;

/** Exit statuses of the CLI. */
const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const COMMANDS: Readonly<Record<string, { run(args: readonly string[], io: CliIo): Promise<void>; help: string }>> = {
  keygen: { run: runKeygen, help: KEYGEN_HELP },
  sessions: { run: runSessions, help: SESSIONS_HELP },
};

/**
 * Runs one command line of the `tokenlease` CLI (`argv` without the node and
 * script paths) and returns the exit status: 0 on success, 1 when a store
 * cannot be reached or fails, 2 for a bad command line.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['keygen', '--alg', 'ES256'], { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) })
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '-h' || name === '--help') {
    io.out(MAIN_HELP);
    return EXIT.ok;
  }
  try {
    const command = name === undefined ? undefined : COMMANDS[name];
    if (command === undefined) throw new UsageError('', unknownCommand(name));
    await command.run(args, io);
    return EXIT.ok;
  } catch (error) {
    return report(error, io);
  }
}

function unknownCommand(name: string | undefined): string {
  if (name === undefined) return 'missing command: keygen or sessions';
  return name.startsWith('-') ? `unknown option "${name}"` : `unknown command "${name}": keygen or sessions`;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    const help = error.command === '' ? 'tokenlease --help' : `tokenlease ${error.command} --help`;
    io.err(`tokenlease: ${error.message}\nRun "${help}" for usage.\n`);
    return EXIT.usage;
  }
  // An option value the core refuses, such as a Redis prefix with braces, is a bad command line too.
  if (error instanceof ConfigurationError) {
    io.err(`tokenlease: ${error.message}\n`);
    return EXIT.usage;
  }
  io.err(`tokenlease: ${messageOf(error)}\n`);
  return EXIT.failure;
}
