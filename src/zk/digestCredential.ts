// A digest credential held for as long as a connection lives, without a `user:password` string on
// any object: the bytes sit in a closure-held Buffer. Each session gets its own copy, which its
// transport keeps to re-send after a reconnect (ZooKeeper forgets auth with the socket); the owner
// zeroes that copy when the session is closed, and the original when the connection is disposed.

export interface DigestCredential {
  readonly user: string;
  /** A fresh `user:password` Buffer for one session. */
  forSession(): Buffer;
  /** Zeroes the held bytes; forSession() throws afterwards. */
  dispose(): void;
}

export function digestCredential(user: string, password: string): DigestCredential {
  let secret: Buffer | undefined = Buffer.from(`${user}:${password}`, 'utf8');
  return {
    user,
    forSession() {
      if (!secret) throw new Error(`The credential of "${user}" was disposed`);
      return Buffer.from(secret);
    },
    dispose() {
      secret?.fill(0);
      secret = undefined;
    },
  };
}
