// The kinds of rows in the ZooKeeper Explorer. Commands receive these; `connectionName` and `path`
// are the shape every command accepts (from the tree or from another caller).
import type { ZnodeStat } from '../zk/stat';

export interface ConnectionNode {
  kind: 'connection';
  connectionName: string;
  path: '/';
}

export interface ZnodeNode {
  kind: 'znode';
  connectionName: string;
  path: string;
  /** Stat when known (prefetched with the page, or from the node's own listing). */
  stat?: ZnodeStat;
  parent: ConnectionNode | ZnodeNode;
}

export interface LoadMoreNode {
  kind: 'loadMore';
  connectionName: string;
  parent: ConnectionNode | ZnodeNode;
  remaining: number;
}

export interface MessageNode {
  kind: 'message';
  connectionName: string;
  parent: ConnectionNode | ZnodeNode;
  text: string;
  detail?: string;
  isError: boolean;
}

export type TreeNode = ConnectionNode | ZnodeNode | LoadMoreNode | MessageNode;
export type ContainerNode = ConnectionNode | ZnodeNode;
