// Node built-ins that cost milliseconds to load, loaded when first used instead of when the
// extension is. node:crypto, node:net and node:fs/promises pull in node:stream, tls and http more on top: loaded at
// the top of the bundle they were most of the extension's require time at activation (issue 15),
// for features most sessions never touch before their first connection. esbuild keeps a require()
// of a built-in as it is, so each one here runs on the first call of its getter.
type Crypto = typeof import('node:crypto');
type Net = typeof import('node:net');
type Tls = typeof import('node:tls');
type Http = typeof import('node:http');
type Zlib = typeof import('node:zlib');
type FsPromises = typeof import('node:fs/promises');
type WorkerThreads = typeof import('node:worker_threads');

function onFirstUse<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const nodeCrypto = onFirstUse(() => require('node:crypto') as Crypto);
export const nodeNet = onFirstUse(() => require('node:net') as Net);
export const nodeTls = onFirstUse(() => require('node:tls') as Tls);
export const nodeHttp = onFirstUse(() => require('node:http') as Http);
export const nodeZlib = onFirstUse(() => require('node:zlib') as Zlib);
export const nodeFsPromises = onFirstUse(() => require('node:fs/promises') as FsPromises);
export const nodeWorkerThreads = onFirstUse(() => require('node:worker_threads') as WorkerThreads);
