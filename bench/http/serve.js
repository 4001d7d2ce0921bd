// The life of a benchmark server process: its variant from the command line, its port over IPC.

/** The variant named on the command line (or in BENCH_VARIANT), checked against the server's list. */
export function variantName(known) {
  const name = process.argv[2] ?? process.env.BENCH_VARIANT ?? '';
  if (!known.includes(name)) throw new Error(`unknown variant "${name}"; expected one of ${known.join(', ')}`);
  return name;
}

/**
 * Listens on a free loopback port and reports it to the parent over IPC, then answers each
 * 'cpu' message with process.cpuUsage(). SIGTERM exits through process.exit, so that a
 * --cpu-prof profile is written; so does losing the parent.
 */
export function listen(server) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}
