// A SASL password held for as long as a connection lives, like a digest credential: no password
// string stays on any object, only a closure-held Buffer in the form DIGEST-MD5 hashes it
// (digestMd5Bytes). Each session gets its own copy, which its SASL step reads on every new
// connection; the owner zeroes that copy when the session is closed, and the original on dispose.
import { heldCredential, type DigestCredential } from '../digestCredential';
import { digestMd5Bytes } from './digestMd5';

export function saslCredential(user: string, password: string): DigestCredential {
  return heldCredential(user, digestMd5Bytes(password));
}
