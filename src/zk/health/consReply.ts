// The reply of `cons`: the client connections a server lists, one line each (who is connected,
// with which session, how busy). Untrusted text: a line that does not match is dropped.
import { cleanText, parseNumber, validPort } from './replyValues';


export interface ClientConnection {
  /** The peer's IP address as the server sees it, without brackets (IPv6 as the JVM prints it). */
  address: string;
  port: number;
  /** A host name the JVM had resolved for the peer (`name/1.2.3.4:port`), when it printed one. */
  hostName?: string;
  queued?: number;
  received?: number;
  sent?: number;
  /** `0x…` (lower case) once a session is established. */
  sessionId?: string;
  lastOperation?: string;
  /** When this connection (not the session) was established, ms since the epoch. */
  established?: number;
  timeoutMs?: number;
  lastCxid?: string;
  lastZxid?: string;
  /** The server's clock (ms, monotonic) at the last response. */
  lastResponse?: number;
  lastLatency?: number;
  latencyMin?: number;
  latencyAvg?: number;
  latencyMax?: number;
}

const MAX_CONNECTIONS = 10000;

/**
 * One `cons` line, as 3.8 prints it: ` /127.0.0.1:45900[1](queued=0,recved=3,sent=3,sid=0x…,lop=GETD,
 * est=…,to=30000,lcxid=0x1,lzxid=0x…,lresp=…,llat=1,minlat=0,avglat=4,maxlat=9)`. The peer may be
 * `[0:0:0:0:0:0:0:1]:43716` (JDK 14+), `0:0:0:0:0:0:0:1:43716` (older JDKs) or `name/10.0.0.1:5678`
 * (a resolved name); the `[interest]` part and any field may be missing. A line cut before its `)`
 * is dropped: a truncated session id could name another session.
 */
const CONS_LINE = /^\s*([A-Za-z0-9][A-Za-z0-9._-]{0,252})?\/(\[[0-9A-Za-z:.%_-]{2,80}\]|[0-9A-Za-z:.%_-]{1,80}?):(\d{1,5})(?:\[(\d{1,4})\])?\((.{0,2000})\)\s*$/;

/** `cons`: one ` /addr:port[ops](k=v,…)` line per client connection. */
export function parseCons(text: string): ClientConnection[] {
  const out: ClientConnection[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (out.length >= MAX_CONNECTIONS) break;
    const m = CONS_LINE.exec(line);
    if (!m) continue;
    const port = validPort(Number(m[3]));
    const address = m[2].replace(/^\[|\]$/g, '');
    if (port === undefined || !/^[0-9A-Za-z:.%_-]+$/.test(address) || !/[.:]/.test(address)) continue;
    const kv = new Map<string, string>();
    for (const pair of m[5].split(',')) {
      const i = pair.indexOf('=');
      if (i > 0) kv.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    const c: ClientConnection = { address: cleanText(address, 64), port };
    if (m[1]) c.hostName = cleanText(m[1], 253);
    const num = (k: string) => parseNumber(kv.get(k));
    type NumberKey = 'queued' | 'received' | 'sent' | 'established' | 'timeoutMs' | 'lastResponse' | 'lastLatency' | 'latencyMin' | 'latencyAvg' | 'latencyMax';
    const setN = (key: NumberKey, v: number | undefined) => {
      if (v !== undefined) c[key] = v;
    };
    setN('queued', num('queued'));
    setN('received', num('recved'));
    setN('sent', num('sent'));
    setN('established', num('est'));
    setN('timeoutMs', num('to'));
    setN('lastResponse', num('lresp'));
    setN('lastLatency', num('llat'));
    setN('latencyMin', num('minlat'));
    setN('latencyAvg', num('avglat'));
    setN('latencyMax', num('maxlat'));
    const hex = (k: string) => {
      const v = kv.get(k);
      return v && /^0x[0-9a-fA-F]{1,16}$/.test(v) ? v.toLowerCase() : undefined;
    };
    const sid = hex('sid');
    if (sid) c.sessionId = sid;
    const lop = kv.get('lop');
    if (lop && /^[A-Za-z_]{1,32}$/.test(lop)) c.lastOperation = lop;
    const lcxid = hex('lcxid');
    if (lcxid) c.lastCxid = lcxid;
    const lzxid = hex('lzxid');
    if (lzxid) c.lastZxid = lzxid;
    out.push(c);
  }
  return out;
}
