// ZooKeeper's request opcodes (ZooDefs.OpCode) and which of them change the tree: the read-only
// guard decides by opcode, never by how a request is described in words.

export const OP = {
  NOTIFICATION: 0,
  CREATE: 1,
  DELETE: 2,
  EXISTS: 3,
  GET_DATA: 4,
  SET_DATA: 5,
  GET_ACL: 6,
  SET_ACL: 7,
  GET_CHILDREN: 8,
  SYNC: 9,
  PING: 11,
  GET_CHILDREN2: 12,
  CHECK: 13,
  MULTI: 14,
  CREATE2: 15,
  RECONFIG: 16,
  CHECK_WATCHES: 17,
  REMOVE_WATCHES: 18,
  CREATE_CONTAINER: 19,
  DELETE_CONTAINER: 20,
  CREATE_TTL: 21,
  MULTI_READ: 22,
  AUTH: 100,
  SET_WATCHES: 101,
  SASL: 102,
  GET_EPHEMERALS: 103,
  GET_ALL_CHILDREN_NUMBER: 104,
  SET_WATCHES2: 105,
  ADD_WATCH: 106,
  WHO_AM_I: 107,
  CREATE_SESSION: -10,
  CLOSE_SESSION: -11,
  ERROR: -1,
} as const;

/** Opcodes that change znodes, their ACLs or the ensemble: refused on a read-only connection. */
export const WRITE_OPCODES: ReadonlySet<number> = new Set<number>([
  OP.CREATE,
  OP.CREATE2,
  OP.CREATE_CONTAINER,
  OP.CREATE_TTL,
  OP.DELETE,
  OP.DELETE_CONTAINER,
  OP.SET_DATA,
  OP.SET_ACL,
  OP.RECONFIG,
]);

/**
 * Whether a request changes anything: a write opcode, or a multi with at least one write part (a
 * multi of version checks only is a read).
 */
export function isWrite(opcode: number, multiParts?: readonly number[]): boolean {
  if (opcode === OP.MULTI) return (multiParts ?? [OP.CREATE]).some((p) => WRITE_OPCODES.has(p));
  return WRITE_OPCODES.has(opcode);
}
