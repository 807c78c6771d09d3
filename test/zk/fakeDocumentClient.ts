// An in-memory stand-in for the few ZkClient calls a NodeDocument makes, with ZooKeeper's version
// rules (setData/setACL with a wrong version fail with BADVERSION, -1 matches any), for unit tests.
import { OPEN_ACL_UNSAFE, type ZkAcl } from '../../src/zk/acl';
import type { CreateOptions, CreateResult } from '../../src/zk/client';
import { ZkError } from '../../src/zk/errors';
import type { NodeDocumentClient } from '../../src/zk/nodeDocument';
import type { ZnodeStat } from '../../src/zk/stat';

interface FakeNode {
  data: Uint8Array;
  acl: ZkAcl[];
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  aversion: number;
  ephemeralOwner: string;
}

export class FakeDocumentClient implements NodeDocumentClient {
  readonly nodes = new Map<string, FakeNode>();
  readonly options = { maxRequestBytes: 0xfffff };
  readonly calls: string[] = [];
  private zxid = 0x10;
  /** Milliseconds; tests move it to control mtimes. */
  clock = 1_700_000_000_000;
  chroot = '';

  put(path: string, data: string | Uint8Array, acl: ZkAcl[] = [...OPEN_ACL_UNSAFE]): void {
    const z = ++this.zxid;
    this.nodes.set(path, {
      data: typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data,
      acl,
      czxid: z,
      mzxid: z,
      ctime: this.clock,
      mtime: this.clock,
      version: 0,
      aversion: 0,
      ephemeralOwner: '0x0',
    });
  }

  /** Another client's write (no version check). */
  change(path: string, data: string | Uint8Array, advanceMs = 1000): void {
    const n = this.must(path, 'write');
    this.clock += advanceMs;
    n.data = typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data;
    n.version++;
    n.mzxid = ++this.zxid;
    n.mtime = this.clock;
  }

  stat(path: string): ZnodeStat {
    const n = this.must(path, 'stat');
    return {
      czxid: '0x' + n.czxid.toString(16),
      mzxid: '0x' + n.mzxid.toString(16),
      pzxid: '0x' + n.czxid.toString(16),
      ctime: new Date(n.ctime),
      mtime: new Date(n.mtime),
      version: n.version,
      cversion: 0,
      aversion: n.aversion,
      ephemeralOwner: n.ephemeralOwner,
      dataLength: n.data.byteLength,
      numChildren: 0,
    };
  }

  async getData(path: string) {
    this.calls.push(`getData ${path}`);
    const n = this.must(path, 'read');
    return { data: n.data.slice(), stat: this.stat(path) };
  }

  async exists(path: string) {
    this.calls.push(`exists ${path}`);
    return this.nodes.has(path) ? this.stat(path) : undefined;
  }

  async setData(path: string, data: Uint8Array, version: number) {
    this.calls.push(`setData ${path} v${version}`);
    const n = this.must(path, 'write');
    if (version !== -1 && version !== n.version) {
      throw ZkError.fromServer(-103, 'write', path, { expectedVersion: version, actualVersion: n.version });
    }
    this.clock += 1000;
    n.data = data.slice();
    n.version++;
    n.mzxid = ++this.zxid;
    n.mtime = this.clock;
    return this.stat(path);
  }

  async getACL(path: string) {
    this.calls.push(`getACL ${path}`);
    const n = this.must(path, 'read the ACL of');
    return { acl: n.acl.map((a) => ({ ...a })), stat: this.stat(path) };
  }

  async setACL(path: string, acl: readonly ZkAcl[], aclVersion: number) {
    this.calls.push(`setACL ${path} a${aclVersion}`);
    const n = this.must(path, 'change the ACL of');
    if (aclVersion !== -1 && aclVersion !== n.aversion) {
      throw ZkError.fromServer(-103, 'change the ACL of', path, { expectedVersion: aclVersion, actualVersion: n.aversion });
    }
    n.acl = acl.map((a) => ({ ...a }));
    n.aversion++;
    return this.stat(path);
  }

  async create(path: string, data: Uint8Array = new Uint8Array(0), opts: CreateOptions = {}): Promise<CreateResult> {
    this.calls.push(`create ${path}`);
    if (this.nodes.has(path)) throw ZkError.fromServer(-110, 'create', path);
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (parent !== '/' && !this.nodes.has(parent)) throw ZkError.fromServer(-101, 'create', path);
    this.clock += 1000;
    this.put(path, data, [...(opts.acl ?? OPEN_ACL_UNSAFE)]);
    return { path, stat: this.stat(path) };
  }

  remove(path: string): void {
    this.nodes.delete(path);
  }

  toServerPath(path: string): string {
    return this.chroot ? (path === '/' ? this.chroot : this.chroot + path) : path;
  }

  private must(path: string, op: string): FakeNode {
    const n = this.nodes.get(path);
    if (!n) throw ZkError.fromServer(-101, op, path);
    return n;
  }
}
