// What each ZkClient call puts on the wire: its opcode and record (full server paths, chroot
// already applied), and the byte conversions at the boundary.
import { OPEN_ACL_UNSAFE, type ZkAcl } from './acl';
import { CREATE_FLAGS, type CreateMode, type MultiOp } from './clientTypes';
import { ZkError } from './errors';
import { OP } from './wire/opcodes';
import {
  createRecord,
  multiRecord,
  pathIntRecord,
  pathRecord,
  pathWatchRecord,
  reconfigRecord,
  request,
  setAclRecord,
  setDataRecord,
  type AclRecord,
  type WireRequest,
} from './wire/requests';

export const isTtlMode = (mode: CreateMode): boolean => mode === 'persistentTtl' || mode === 'persistentSequentialTtl';

export function aclRecords(acl: readonly ZkAcl[]): AclRecord[] {
  return acl.map((a) => ({ perms: a.perms, scheme: a.scheme, id: a.id }));
}

export function toBuffer(data: string | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (!(data instanceof Uint8Array)) throw new ZkError('INVALID_ARGUMENT', 'Node data must be bytes (Uint8Array)'); // l10n-ignore: a programming error, not the user's
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function asBytes(b: Buffer | undefined | null): Uint8Array {
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(0);
}

export const existsRequest = (full: string, watch: boolean) => request(OP.EXISTS, pathWatchRecord(full, watch));
export const getDataRequest = (full: string, watch: boolean) => request(OP.GET_DATA, pathWatchRecord(full, watch));
export const getChildrenRequest = (full: string, watch: boolean) => request(OP.GET_CHILDREN2, pathWatchRecord(full, watch));
export const pathRequest = (opcode: number, full: string) => request(opcode, pathRecord(full));
export const setDataRequest = (full: string, data: Uint8Array, version: number) => request(OP.SET_DATA, setDataRecord(full, toBuffer(data), version));
export const deleteRequest = (full: string, version: number) => request(OP.DELETE, pathIntRecord(full, version));
export const setAclRequest = (full: string, acl: readonly ZkAcl[], version: number) => request(OP.SET_ACL, setAclRecord(full, aclRecords(acl), version));
export const addWatchRequest = (full: string, mode: number) => request(OP.ADD_WATCH, pathIntRecord(full, mode));
/** `type`: 1 children, 2 data, 3 any. */
export const removeWatchesRequest = (full: string, type: number) => request(OP.REMOVE_WATCHES, pathIntRecord(full, type));

/** An incremental reconfig: `server.N=` lines to add, ids to remove, guarded by the config version (-1: unguarded). */
export function reconfigRequest(joining: readonly string[], leaving: readonly number[], fromConfig: bigint): WireRequest {
  const list = (xs: readonly (string | number)[]) => (xs.length > 0 ? xs.join(',') : null);
  return request(OP.RECONFIG, reconfigRecord(list(joining), list(leaving), fromConfig));
}

/**
 * A create of any mode: TTL modes as createTTL, containers as createContainer, the others as
 * `plainOpcode` (create2, or create on a server known to refuse create2).
 */
export function createParts(
  full: string,
  data: Uint8Array,
  mode: CreateMode,
  acl: readonly ZkAcl[] | undefined,
  ttlMs: number | undefined,
  plainOpcode: number,
): { opcode: number; body: Buffer } {
  const flags = CREATE_FLAGS[mode];
  const records = aclRecords(acl ?? OPEN_ACL_UNSAFE);
  if (isTtlMode(mode)) return { opcode: OP.CREATE_TTL, body: createRecord(full, toBuffer(data), records, flags, BigInt(ttlMs ?? 0)) };
  return { opcode: mode === 'container' ? OP.CREATE_CONTAINER : plainOpcode, body: createRecord(full, toBuffer(data), records, flags) };
}

/** A multi: its parts in order, decoded even when it fails (the reply carries each part's result). */
export function multiRequest(ops: readonly MultiOp[], toServerPath: (path: string) => string, plainCreateOpcode: number): WireRequest {
  const parts = ops.map((op) => {
    const full = toServerPath(op.path);
    switch (op.type) {
      case 'create':
        return createParts(full, op.data ?? new Uint8Array(0), op.mode ?? 'persistent', op.acl, op.ttlMs, plainCreateOpcode);
      case 'delete':
        return { opcode: OP.DELETE, body: pathIntRecord(full, op.version ?? -1) };
      case 'setData':
        return { opcode: OP.SET_DATA, body: setDataRecord(full, toBuffer(op.data), op.version ?? -1) };
      case 'check':
        return { opcode: OP.CHECK, body: pathIntRecord(full, op.version) };
    }
  });
  return request(OP.MULTI, multiRecord(parts), { multiParts: parts.map((p) => p.opcode), decodeOnError: true });
}
