// Parses "host:port[,host:port...][/chroot]" (IPv6 as [::1]:2181) into servers and a chroot,
// with messages that point at the part that is wrong.
import { pathProblem } from './paths';

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

export function parseConnectString(input: string): ParsedConnectString {
  const problem = connectStringProblem(input);
  if (problem) throw new Error(problem);
  return parseUnchecked(input.trim());
}

/** Why a connect string is invalid, or undefined when it is fine (for validation as you type). */
export function connectStringProblem(input: string): string | undefined {
  if (typeof input !== 'string' || input.trim() === '') return 'Enter host:port, e.g. 127.0.0.1:2181';
  const s = input.trim();
  const { hostsPart, chroot } = splitChroot(s);
  if (chroot !== undefined && chroot !== '/') {
    const p = pathProblem(chroot);
    if (p) return `Invalid chroot "${chroot}": ${p}`;
  }
  const hosts = hostsPart.split(',').map((h) => h.trim());
  if (hosts.length === 0 || hosts.every((h) => h === '')) return 'Enter at least one host:port';
  for (const h of hosts) {
    if (h === '') return 'Remove the empty entry between commas';
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

function hostProblem(h: string): string | undefined {
  let host: string;
  let portText: string | undefined;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return `"${h}": missing "]" after the IPv6 address`;
    host = h.slice(1, end);
    const rest = h.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return `"${h}": expected ":port" after "]"`;
    portText = rest === '' ? undefined : rest.slice(1);
    if (!/^[0-9a-fA-F:.]+$/.test(host)) return `"${h}": "${host}" is not an IPv6 address`;
  } else {
    const parts = h.split(':');
    if (parts.length > 2) return `"${h}": write IPv6 addresses in brackets, e.g. [::1]:2181`;
    host = parts[0];
    portText = parts[1];
    if (!/^[A-Za-z0-9._-]+$/.test(host)) return `"${h}": "${host}" is not a valid host name`;
  }
  if (host === '') return `"${h}": the host is missing`;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText)) return `"${h}": the port must be a number`;
    const port = Number(portText);
    if (port < 1 || port > 65535) return `"${h}": the port must be between 1 and 65535`;
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
