/** Where the CLI writes: standard output for results, standard error for messages. */
export interface CliIo {
  /** Writes a result, such as a key, a count or a JSON list. */
  out(text: string): void;
  /** Writes a message for the operator: an error or a warning. */
  err(text: string): void;
}
