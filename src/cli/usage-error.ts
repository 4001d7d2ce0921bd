/**
 * A command line the CLI cannot run: an unknown command or option, a missing
 * or malformed value. The CLI prints its message and exits with status 2.
 */
export class UsageError extends Error {
  /** The command whose help the user is pointed to, such as `sessions`; empty for the top level. */
  readonly command: string;

  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
