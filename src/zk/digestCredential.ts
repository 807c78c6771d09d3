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
  return heldCredential(user, Buffer.from(`${user}:${password}`, 'utf8'));
}

/** Holds `secret` (taken over, not copied) for `user`: the one place the held bytes live and are zeroed. */
export function heldCredential(user: string, secret: Buffer): DigestCredential {
  let held: Buffer | undefined = secret;
  return {
    user,
    forSession() {
      if (!held) throw new Error(`The credential of "${user}" was disposed`);
      return Buffer.from(held);
    },
    dispose() {
      held?.fill(0);
      held = undefined;
    },
  };
}
