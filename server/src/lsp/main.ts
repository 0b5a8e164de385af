// Entry point of dist/server.js: creates the connection (stdio, IPC or socket from argv) and keeps the process alive on errors.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { OboServer } from './oboServer';

const connection = createConnection(ProposedFeatures.all);
const server = new OboServer(connection);

// A bug in one handler must never take the whole server down with it: log and keep serving.
process.on('uncaughtException', (error) =>
  server.log.once(`uncaught:${error?.message}`, 'error', 'Uncaught exception', error),
);
process.on('unhandledRejection', (reason) =>
  server.log.once(`rejection:${String(reason)}`, 'error', 'Unhandled rejection', reason),
);

connection.listen();
