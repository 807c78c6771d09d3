// zk://<connection name>/<znode path>: one type parses and formats the URIs that name znodes,
// so that names and paths with spaces, unicode and "%" round-trip everywhere.
import { pathProblem } from './paths';
import { msg } from './message';
import { ZkError } from './errors';

export const ZNODE_SCHEME = 'zk';

export class ZnodeUri {
  constructor(
    readonly connection: string,
    readonly path: string,
  ) {}

  /** The URI string, every part percent-encoded. */
  toString(): string {
    const segments = this.path === '/' ? '' : this.path.split('/').map(encodeURIComponent).join('/');
    return `${ZNODE_SCHEME}://${encodeURIComponent(this.connection)}${segments || '/'}`;
  }

  /** Parses a zk:// URI string (as pasted by a user, or from toString()). */
  static parse(text: string): ZnodeUri {
    const m = /^zk:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(text.trim());
    if (!m) throw new Error(`"${text}" is not a znode URI: expected zk://<connection name>/<znode path>`);
    let connection: string;
    let path: string;
    try {
      connection = decodeURIComponent(m[1]);
      path = m[2] ? m[2].split('/').map(decodeURIComponent).join('/') : '/';
    } catch {
      throw new ZkError('INVALID_PATH', msg('"{0}" has an invalid %-escape', text));
    }
    return ZnodeUri.fromParts(connection, path);
  }

  /** From already-decoded parts (vscode.Uri's authority and path). */
  static fromParts(connection: string, path: string): ZnodeUri {
    if (connection === '') throw new ZkError('INVALID_PATH', msg('A znode URI needs a connection name: zk://<connection name>/<znode path>'));
    const normalized = path === '' ? '/' : path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const problem = pathProblem(normalized);
    if (problem) throw new ZkError('INVALID_PATH', msg('Invalid znode path "{0}": {1}', normalized, problem));
    return new ZnodeUri(connection, normalized);
  }

  equals(other: ZnodeUri): boolean {
    return this.connection === other.connection && this.path === other.path;
  }
}
