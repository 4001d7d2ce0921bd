// One app process of the soak: the Express example's createApp, served on 127.0.0.1:PORT.
// It reads the example's settings (TOKENLEASE_STORE, TOKENLEASE_SECRET, TOKENLEASE_ACCESS_TTL,
// TOKENLEASE_REFRESH_TTL) and, unlike `node examples/express/server.js`, SOAK_ISSUER: two processes
// behind one address must sign with one issuer, while the example takes its own URL (and port) as
// issuer. It reports its port to the parent over IPC once the store answers.
import { createServer } from 'node:http';
import { createApp } from '../../examples/express/server.js';

const env = process.env;
const { app, ready, close } = createApp({
  store: env.TOKENLEASE_STORE,
  secret: env.TOKENLEASE_SECRET,
  issuer: env.SOAK_ISSUER,
  accessTokenTtl: Number(env.TOKENLEASE_ACCESS_TTL),
  reuseInterval: Number(env.TOKENLEASE_REUSE_INTERVAL ?? 5),
  refreshTokenTtl: env.TOKENLEASE_REFRESH_TTL ?? '14d',
});
await ready;
const server = createServer(app);
server.keepAliveTimeout = 30_000;
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => process.send({ port: server.address().port }));
// The driver asks for the CPU time used, to tell how busy each process was.
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
});
// A soak driver that dies must not leave its app processes behind.
process.once('disconnect', () => process.exit(0));
process.once('SIGTERM', () => {
  server.close(() => Promise.resolve(close()).finally(() => process.exit(0)));
  server.closeAllConnections();
});
