// Loopback networking helpers: free ports, four-letter words and AdminServer requests.
// Every operation has its own deadline: a frozen (SIGSTOPped) server still accepts TCP
// connections (the kernel completes the handshake) but never answers.
import * as http from 'node:http';
import * as net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Distinct free ports on 127.0.0.1: all are bound at once (so they differ), then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listenOnEphemeralPort));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** A loopback port nothing listens on (bound, then released): connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  return (await freePorts(1))[0];
}

function listenOnEphemeralPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => resolve(server));
  });
}

/** Sends a four-letter word and returns the raw reply (the server closes after answering). */
export function fourLetterWord(port: number, word: string, timeoutMs = 2000, host = LOOPBACK): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(() => finish(new Error(`4lw '${word}' to ${host}:${port}: no reply within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('end', () => finish());
    socket.once('error', (e) => finish(new Error(`4lw '${word}' to ${host}:${port}: ${e.message}`)));
  });
}

export interface HttpReply {
  status: number;
  body: string;
}

/** GET with a deadline covering connect, headers and body. */
export function httpGet(url: string, timeoutMs = 3000): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', (e) => reject(new Error(`GET ${url}: ${e.name === 'AbortError' ? `no reply within ${timeoutMs} ms` : e.message}`)));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
