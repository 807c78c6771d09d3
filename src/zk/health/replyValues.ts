// Values in four-letter-word and AdminServer replies (numbers, zxids, versions, roles, ports,
// free text): each parsed strictly, so a hostile or cut value becomes undefined or a short, clean string.


/** Longest string a parser returns; longer values are cut. */
export const MAX_TEXT = 256;

/** Drops control characters and caps the length: a hostile value stays harmless and short. */
export function cleanText(s: string, max = MAX_TEXT): string {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** A finite decimal number, or undefined for anything else (including '', 'NaN', '1e999'). */
export function parseNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (!/^-?\d{1,20}(\.\d{1,20})?([eE][-+]?\d{1,3})?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** `0x1_0000_0003`-style zxids: 64-bit, so a bigint. */
export function parseZxid(s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (/^0x[0-9a-fA-F]{1,16}$/.test(t)) return BigInt(t);
  if (/^\d{1,20}$/.test(t)) {
    const v = BigInt(t);
    return v <= 0xffffffffffffffffn ? v : undefined;
  }
  return undefined;
}

/** "3.8.0" out of "3.8.0-${mvngit.commit.id}, built on …" (the part before '-'). */
export function parseVersion(full: string | undefined): string | undefined {
  if (!full) return undefined;
  const m = /^\s*(\d{1,4}(?:\.\d{1,4}){1,3})/.exec(full);
  return m ? m[1] : undefined;
}

/** Server roles as the servers name them (`zk_server_state`, `Mode:`). */
export type ServerRole = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only' | 'unknown';

export function parseRole(s: string | undefined): ServerRole | undefined {
  if (s === undefined) return undefined;
  const t = s.trim().toLowerCase();
  switch (t) {
    case 'leader':
    case 'follower':
    case 'observer':
    case 'standalone':
    case 'read-only':
      return t;
    case 'readonly':
    case 'read_only':
      return 'read-only';
    default:
      return t === '' ? undefined : 'unknown';
  }
}

/** A TCP port (1-65535), or undefined. */
export function validPort(p: number | undefined): number | undefined {
  return p !== undefined && Number.isInteger(p) && p >= 1 && p <= 65535 ? p : undefined;
}
