// How the server's Node process is started, shared by the VS Code client, the LSP tests and the benchmark.

/**
 * A small young generation: the index allocates in bursts, and with the default 16 MB semi-spaces V8 keeps about
 * 27 MB more resident for good, for no gain in speed (the 10,000-file index takes the same CPU time either way). V8
 * sizes the heap when the process starts, so this must be a command-line flag, not `v8.setFlagsFromString`.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
