// Parses "host:port[,host:port...][/chroot]" (IPv6 as [::1]:2181) into servers and a chroot,
// with messages that point at the part that is wrong.
import { pathProblem } from './paths';
import { msg, renderMessage, type Message } from './message';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface ParsedConnectString {
  servers: ServerAddress[];
  /** Normalised chroot ('/app'), or undefined for none. */
  chroot?: string;
}

export const DEFAULT_PORT = 2181;

// The JSON-schema `pattern` of `zookeeper.connections[].connectString` in package.json: the same
// language as connectStringProblem (a test checks both on a table of inputs, and that package.json
// carries exactly this text). Host names are ASCII labels, ports 1-65535 (leading zeros allowed,
// as Number() reads them), chroot segments follow ZooKeeper's node-name rules without whitespace.
// It holds in JavaScript with and without the `u` flag (VS Code tries `u` first).
const HOST = String.raw`(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)`;
const PORT = String.raw`(?::0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))`;
const SEGMENT_CHAR = String.raw`(?:(?!\s)[\u0021-\u002e\u0030-\u007e\u00a0-\ud7ff\uf900-\uffef])`;
const SEGMENT = String.raw`(?!\.\.?(?:/|\s*$))${SEGMENT_CHAR}+`;
export const CONNECT_STRING_PATTERN = String.raw`^\s*${HOST}${PORT}?(?:\s*,\s*${HOST}${PORT}?)*\s*(?:/|(?:/${SEGMENT})+)?\s*$`;

export function parseConnectString(input: string): ParsedConnectString {
  const problem = connectStringProblem(input);
  if (problem) throw new Error(renderMessage(problem));
  return parseUnchecked(input.trim());
}

/** Why a connect string is invalid, or undefined when it is fine (for validation as you type; an adapter translates it). */
export function connectStringProblem(input: string): Message | undefined {
  if (typeof input !== 'string' || input.trim() === '') return msg('Enter host:port, e.g. 127.0.0.1:2181');
  const s = input.trim();
  const { hostsPart, chroot } = splitChroot(s);
  if (chroot !== undefined && chroot !== '/') {
    // ZooKeeper would take a space in a node name, but in a connect string it is nearly always a
    // typo, and the settings schema refuses it: the two must accept the same strings.
    if (/\s/.test(chroot)) return msg('Invalid chroot "{0}": a chroot cannot contain spaces or other whitespace', chroot);
    const p = pathProblem(chroot);
    if (p) return msg('Invalid chroot "{0}": {1}', chroot, p);
  }
  const hosts = hostsPart.split(',').map((h) => h.trim());
  if (hosts.length === 0 || hosts.every((h) => h === '')) return msg('Enter at least one host:port');
  for (const h of hosts) {
    if (h === '') return msg('Remove the empty entry between commas');
    const p = hostProblem(h);
    if (p) return p;
  }
  return undefined;
}

function splitChroot(s: string): { hostsPart: string; chroot?: string } {
  // The chroot starts at the first "/" outside IPv6 brackets.
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '/' && depth === 0) return { hostsPart: s.slice(0, i), chroot: s.slice(i) };
  }
  return { hostsPart: s };
}

function hostProblem(h: string): Message | undefined {
  let host: string;
  let portText: string | undefined;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return msg('"{0}": missing "]" after the IPv6 address', h);
    host = h.slice(1, end);
    const rest = h.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return msg('"{0}": expected ":port" after "]"', h);
    portText = rest === '' ? undefined : rest.slice(1);
    if (!/^[0-9a-fA-F:.]+$/.test(host)) return msg('"{0}": "{1}" is not an IPv6 address', h, host);
  } else {
    const parts = h.split(':');
    if (parts.length > 2) return msg('"{0}": write IPv6 addresses in brackets, e.g. [::1]:2181', h);
    host = parts[0];
    portText = parts[1];
    if (!/^[A-Za-z0-9._-]+$/.test(host)) return msg('"{0}": "{1}" is not a valid host name', h, host);
  }
  if (host === '') return msg('"{0}": the host is missing', h);
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText)) return msg('"{0}": the port must be a number', h);
    const port = Number(portText);
    if (port < 1 || port > 65535) return msg('"{0}": the port must be between 1 and 65535', h);
  }
  return undefined;
}

function parseUnchecked(s: string): ParsedConnectString {
  const { hostsPart, chroot } = splitChroot(s);
  const servers = hostsPart.split(',').map((raw) => {
    const h = raw.trim();
    if (h.startsWith('[')) {
      const end = h.indexOf(']');
      const port = h.slice(end + 2);
      return { host: h.slice(1, end), port: port ? Number(port) : DEFAULT_PORT };
    }
    const [host, port] = h.split(':');
    return { host, port: port ? Number(port) : DEFAULT_PORT };
  });
  return { servers, chroot: chroot === undefined || chroot === '/' ? undefined : chroot };
}

export function formatServer(s: ServerAddress): string {
  return s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}
