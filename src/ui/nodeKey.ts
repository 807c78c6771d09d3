// The one map key for a node of a connection (names and paths can hold any character but NUL).

export function nodeKey(connection: string, path: string): string {
  return `${connection}\u0000${path}`;
}
