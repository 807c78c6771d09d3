// Why a connection could not be made, in words a user can act on.

/** Turns a socket error into the reason a user can act on. */
export function describeSocketError(err: (Error & { code?: string }) | undefined, usingTls: boolean): string {
  if (!err) return 'no server answered (is ZooKeeper running, and is this its client port?)';
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused (${err.message.replace(/^connect ECONNREFUSED /, '')}): is ZooKeeper running on that port?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (DNS): ${err.message}`;
  if (code === 'ETIMEDOUT') return `${err.message} (a firewall, a wrong address, or a frozen server)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `network unreachable: ${err.message}`;
  if (usingTls && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|EPROTO/.test(code))) {
    return `TLS handshake failed (${code}: ${err.message}): check the CA, client certificate and key, and that this is the secureClientPort`;
  }
  if (code === 'NOTREADONLY') return err.message;
  if (code === 'ECONNRESET') {
    return usingTls
      ? `the server closed the connection during the TLS handshake (${err.message}): is this the secureClientPort?`
      : `the server closed the connection (${err.message}): is this a TLS-only port?`;
  }
  return `${code ? code + ': ' : ''}${err.message}`;
}

