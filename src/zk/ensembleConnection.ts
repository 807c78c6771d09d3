// EnsembleConnection: one configured ensemble, kept usable for as long as it is open. It owns the
// current ZkClient (session) and replaces it when the session expires, so the rest of the
// extension holds one object per ensemble whatever happens underneath. Its state is what the UI
// shows; its `detail` says why, in words.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type * as tls from 'node:tls';
import { ZkClient, type ZkClientOptions, type ZkState } from './client';
import type { ConnectionConfig } from './config';
import { parseConnectString, formatServer } from './connectString';
import { digestCredential, type DigestCredential } from './digestCredential';
import { ZkError } from './errors';
import { defaultAclFor } from './defaultAcl';
import type { AuthFailureKind } from './postHandshakeStep';
import { saslCredential } from './sasl/saslCredential';
import { GSSAPI_REFUSAL, saslStep } from './sasl/saslExchange';
import { messageOfError, msg, renderMessage, type Message } from './message';
import { socketErrorReason } from './socketErrors';

export type ConnectionState =
  | 'idle' // never opened, or disconnected by the user
  | 'connecting' // first connection of a session
  | 'connected'
  | 'readOnlyServer' // connected to a server without quorum that serves reads only
  | 'reconnecting' // the session is alive, the socket is not: moving to another server
  | 'sessionExpired' // the old session is gone; a new one is being made
  | 'authFailed' // credentials refused: needs the user
  | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Why, in words (the last connect error, the server we are on, ...), in English: for logs. */
  detail?: string;
  /** `detail` as a Message, for an adapter to show in the user's language. */
  detailMessage?: Message | string;
  /** host:port of the server the session is on, when connected. */
  server?: string;
  sessionId?: string;
  /** In 'authFailed': which refusal it was (undefined: digest credentials refused). */
  authFailure?: AuthFailureKind;
}

export interface EnsembleConnectionOptions {
  /**
   * Password for `auth.user`, from the host's secret storage; never logged. It is turned into a
   * closure-held credential at once: no `user:password` string stays on the connection.
   */
  password?: string;
  /** Test hook and advanced use: overrides for the client options built from the config. */
  clientOverrides?: Partial<ZkClientOptions>;
}

/** A status as set: its `detail` a Message to translate later (or a system's own text). */
type StatusUpdate = Omit<ConnectionStatus, 'detail'> & { detail?: Message | string };

/** What watchers and views need to know when a new session replaces an expired one. */
export interface SessionRenewal {
  previousSessionId: string;
  sessionId: string;
}

export class EnsembleConnection extends EventEmitter {
  readonly name: string;
  private readonly config: ConnectionConfig;
  private readonly options: Omit<EnsembleConnectionOptions, 'password'>;
  private readonly credential: DigestCredential | undefined;
  /** Each session's copy of the credential, zeroed once that session is closed. */
  private readonly sessionSecrets = new WeakMap<ZkClient, Buffer>();
  /** The TLS files, read when the connection is opened (not when a session expires: see open()). */
  private tlsMaterial: tls.ConnectionOptions | undefined;
  private current: ZkClient | undefined;
  private status: ConnectionStatus = { state: 'idle' };
  private opening: Promise<void> | undefined;
  private userClosed = false;
  private expiredSessionId: string | undefined;

  constructor(config: ConnectionConfig, options: EnsembleConnectionOptions = {}) {
    super();
    this.name = config.name;
    this.config = config;
    const { password, ...rest } = options;
    this.options = rest;
    this.credential =
      config.auth && password !== undefined
        ? config.auth.scheme === 'sasl'
          ? saslCredential(config.auth.user, password)
          : digestCredential(config.auth.user, password)
        : undefined;
  }

  /** Whether a password was given for the configured credentials. */
  get hasPassword(): boolean {
    return this.credential !== undefined;
  }

  get readOnly(): boolean {
    return this.config.readOnly === true;
  }

  get connectString(): string {
    return this.config.connectString;
  }

  get chroot(): string | undefined {
    return parseConnectString(this.config.connectString).chroot;
  }

  getStatus(): ConnectionStatus {
    return { ...this.status };
  }

  get state(): ConnectionState {
    return this.status.state;
  }

  /**
   * The session's client, once connected. Throws a ZkError that says why when there is none,
   * so that a caller's error message is about the connection, not about a missing object.
   */
  get client(): ZkClient {
    if (!this.current || this.status.state === 'idle' || this.status.state === 'closed') {
      throw new ZkError('CLOSED', msg('Connection "{0}" is not open: connect it first', this.name));
    }
    if (this.status.state === 'authFailed') {
      throw new ZkError('AUTHFAILED', msg('Connection "{0}": {1}', this.name, this.status.detailMessage ?? msg('authentication failed')));
    }
    return this.current;
  }

  /**
   * Opens the connection and resolves once a session is established. On failure it rejects with
   * the reason but keeps trying in the background (state 'connecting' with the reason in detail),
   * except when the credentials are refused.
   */
  open(deadlineMs?: number): Promise<void> {
    this.userClosed = false;
    if (this.current && this.status.state !== 'closed' && this.status.state !== 'authFailed') {
      return this.opening ?? Promise.resolve();
    }
    // The TLS files are read here, once per open: a session that expires later starts its successor
    // with the same material, so a file that became unreadable meanwhile cannot leave the connection
    // stuck between sessions. Reconnect (close + open) reads them again.
    if (this.config.auth?.scheme === 'sasl' && this.config.auth.mechanism === 'GSSAPI') {
      // Refused before any traffic: nothing of the session could work without Kerberos.
      this.setStatus({ state: 'authFailed', detail: GSSAPI_REFUSAL, authFailure: 'unsupportedMechanism' });
      return Promise.reject(new ZkError('AUTHFAILED', msg('Connection "{0}": {1}', this.name, GSSAPI_REFUSAL)));
    }
    let client: ZkClient;
    try {
      this.tlsMaterial = this.config.tls ? loadTls(this.config.tls) : undefined;
      client = this.makeClient();
    } catch (e) {
      this.setStatus({ state: 'idle', detail: messageOfError(e) });
      return Promise.reject(e);
    }
    this.opening = client.connect(deadlineMs).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Closes the session (its ephemeral nodes go with it). */
  async close(): Promise<void> {
    this.userClosed = true;
    const c = this.current;
    this.current = undefined;
    this.setStatus({ state: 'idle', detail: msg('Disconnected') });
    if (c) await this.closeClient(c);
  }

  /** Final close: the object is not reused. */
  async dispose(): Promise<void> {
    await this.close();
    this.credential?.dispose();
    this.setStatus({ state: 'closed' });
    this.removeAllListeners();
  }

  /**
   * Moves the session to another server (same session, watches kept), or, when the connection
   * is not usable (auth failed, closed), starts over with a new session.
   */
  async reconnect(): Promise<void> {
    const s = this.status.state;
    if (this.current && (s === 'connected' || s === 'readOnlyServer' || s === 'reconnecting' || s === 'connecting')) {
      const wasUp = s === 'connected' || s === 'readOnlyServer';
      // The socket closes asynchronously: wait to see the drop, or the old connection counts as the new one.
      const dropped = wasUp ? this.waitFor(['reconnecting', 'connecting', 'sessionExpired', 'closed'], 5000) : Promise.resolve();
      this.current.dropConnection();
      await dropped;
      await this.waitFor(['connected', 'readOnlyServer'], this.current.options.connectTimeoutMs * 2 + 2000);
      return;
    }
    await this.close();
    await this.open();
  }

  /** Resolves when the state is one of `states`, rejects after `timeoutMs`. */
  waitFor(states: ConnectionState[], timeoutMs: number): Promise<void> {
    if (states.includes(this.status.state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('status', onStatus);
        reject(new ZkError('REQUEST_DEADLINE', this.status.detailMessage
          ? msg('Connection "{0}" is still {1} after {2} ms: {3}', this.name, this.status.state, timeoutMs, this.status.detailMessage)
          : msg('Connection "{0}" is still {1} after {2} ms', this.name, this.status.state, timeoutMs)));
      }, timeoutMs);
      const onStatus = (st: ConnectionStatus) => {
        if (states.includes(st.state)) {
          clearTimeout(timer);
          this.off('status', onStatus);
          resolve();
        }
      };
      this.on('status', onStatus);
    });
  }

  /** Whether the chroot node exists (a wrong chroot makes every path look missing). */
  async chrootExists(): Promise<boolean> {
    if (!this.chroot) return true;
    return (await this.client.exists('/')) !== undefined;
  }

  /** Creates the chroot node (and its parents) through a short session without the chroot. */
  async createChroot(): Promise<void> {
    const chroot = this.chroot;
    if (!chroot) return;
    if (this.readOnly) throw new ZkError('READ_ONLY_GUARD', msg('Connection "{0}" is read-only: refused to create {1}', this.name, chroot));
    const base = this.config.connectString.trim().slice(0, this.config.connectString.trim().indexOf(chroot));
    const root = this.newClient({ connectString: base });
    try {
      await root.connect();
      let at = '';
      const withCredentials = this.credential !== undefined;
      for (const part of chroot.slice(1).split('/')) {
        const parent = at || '/';
        at += '/' + part;
        try {
          // The stated default (defaultAcl.ts), not world:anyone:cdrwa.
          if ((await root.exists(at)) !== undefined) continue;
          await root.create(at, undefined, { acl: (await defaultAclFor(root, parent, withCredentials)).acl });
        } catch (e) {
          if (!(e instanceof ZkError && e.code === 'NODEEXISTS')) throw e;
        }
      }
    } finally {
      await this.closeClient(root);
    }
  }

  // --- internals ----------------------------------------------------------------------------

  /** A client for this connection with its own copy of the credential (zeroed by closeClient). */
  private newClient(overrides: Partial<ZkClientOptions> = {}): ZkClient {
    const secret = this.credential?.forSession();
    const configured = this.config.auth;
    // Digest: an auth packet the transport re-sends after each connect. SASL: an exchange on each new
    // connection before any request, with this session's copy of the password bytes.
    const auth = secret && configured?.scheme === 'digest' ? [{ scheme: configured.scheme, auth: secret }] : undefined;
    const afterHandshake = secret && configured?.scheme === 'sasl' ? saslStep(configured.mechanism, { user: configured.user, password: secret }) : undefined;
    const client = new ZkClient({ ...this.clientOptions(), ...overrides, auth, afterHandshake });
    if (secret) this.sessionSecrets.set(client, secret);
    return client;
  }

  private async closeClient(client: ZkClient): Promise<void> {
    try {
      await client.close();
    } finally {
      this.sessionSecrets.get(client)?.fill(0);
      this.sessionSecrets.delete(client);
    }
  }

  private clientOptions(): ZkClientOptions {
    const c = this.config;
    return {
      name: c.name,
      connectString: c.connectString,
      sessionTimeoutMs: c.sessionTimeoutMs,
      connectTimeoutMs: c.connectTimeoutMs,
      requestTimeoutMs: c.requestTimeoutMs,
      readOnly: c.readOnly,
      maxReplyBytes: c.maxReplyBytes,
      // Browsing an ensemble that lost its quorum is still worth it: a read-only server is shown as such.
      canBeReadOnly: true,
      tls: this.tlsMaterial,
      ...this.options.clientOverrides,
    };
  }

  private makeClient(initial?: StatusUpdate): ZkClient {
    const client = this.newClient();
    this.current = client;
    this.setStatus(initial ?? { state: 'connecting', detail: msg('Connecting to {0}', client.servers.map(formatServer).join(', ')) });
    client.on('state', (s: ZkState) => this.onClientState(client, s));
    client.on('socketError', (err: Error & { code?: string }) => {
      if (client !== this.current) return;
      const reason = socketErrorReason(err, client.options.tls !== undefined);
      if (this.status.state === 'connecting' || this.status.state === 'reconnecting' || this.status.state === 'sessionExpired') {
        this.setStatus({ ...this.status, detail: reason });
      }
      this.emit('socketError', err);
    });
    client.on('livenessTimeout', (server: { host: string; port: number }, silentMs: number) => {
      if (client === this.current) this.emit('livenessTimeout', formatServer(server), silentMs);
    });
    client.on('watchEvent', (e) => {
      if (client === this.current) this.emit('watchEvent', e);
    });
    return client;
  }

  private onClientState(client: ZkClient, s: ZkState): void {
    if (client !== this.current) return; // an old session's last words
    switch (s) {
      case 'connecting':
        // A socket attempt. Before the first connection this is 'connecting'; after it, 'reconnecting'.
        if (this.status.state === 'connected' || this.status.state === 'readOnlyServer') {
          this.setStatus({ state: 'reconnecting', detail: this.status.server ? msg('Lost {0}; trying the next server', this.status.server) : msg('Lost the server; trying the next server'), sessionId: client.sessionId });
        }
        return;
      case 'disconnected':
        if (this.status.state === 'connected' || this.status.state === 'readOnlyServer') {
          this.setStatus({ state: 'reconnecting', detail: this.status.server ? msg('Lost {0}', this.status.server) : msg('Lost the server'), sessionId: client.sessionId });
        }
        return;
      case 'connected':
      case 'connectedReadOnly': {
        const server = client.currentServer;
        const readOnlyServer = s === 'connectedReadOnly';
        this.setStatus({
          state: readOnlyServer ? 'readOnlyServer' : 'connected',
          server,
          sessionId: client.sessionId,
          detail: readOnlyServer ? msg('On {0}, a server without quorum: reads only', server ?? '?') : msg('On {0}', server ?? '?'),
        });
        if (this.expiredSessionId) {
          const renewal: SessionRenewal = { previousSessionId: this.expiredSessionId, sessionId: client.sessionId };
          this.expiredSessionId = undefined;
          this.emit('sessionRenewed', renewal);
        }
        return;
      }
      case 'expired': {
        // Everything that belonged to the session is gone on the server. Say so, then make a new
        // one; the new client is current before the old one is closed, so its last events are ignored.
        this.expiredSessionId = client.sessionId;
        const expired: StatusUpdate = {
          state: 'sessionExpired',
          detail: msg('Session {0} expired: its ephemeral nodes and watches are gone; starting a new session', client.sessionId),
          sessionId: client.sessionId,
        };
        if (this.userClosed) {
          this.setStatus(expired);
        } else {
          try {
            const next = this.makeClient(expired);
            next.connect(FOREVER_MS).catch(() => undefined);
          } catch (e) {
            // Say why on the connection row instead of staying "expired" with no word.
            this.current = undefined;
            this.setStatus({ state: 'idle', detail: msg('Session {0} expired and no new one could be started: {1}', client.sessionId, messageOfError(e)) });
          }
        }
        this.emit('sessionExpired', client.sessionId);
        void this.closeClient(client);
        return;
      }
      case 'authFailed': {
        const failure = client.authFailure;
        this.setStatus(
          failure
            ? { state: 'authFailed', detail: failure.localized ?? failure.message, authFailure: failure.kind }
            : { state: 'authFailed', detail: msg('The server rejected the credentials for "{0}": edit the connection to fix the password', this.config.auth?.user ?? '') },
        );
        return;
      }
      case 'closed':
        if (!this.userClosed) this.setStatus({ state: 'idle', detail: msg('Disconnected') });
        return;
    }
  }

  /** `detail` is given as a Message (or a system's own text) and kept both in English and as given. */
  private setStatus(update: StatusUpdate): void {
    const prev = this.status;
    const { detail, detailMessage: _stale, ...rest } = update;
    const next: ConnectionStatus = detail === undefined ? rest : { ...rest, detail: renderMessage(detail), detailMessage: detail };
    this.status = next;
    if (prev.state !== next.state || prev.detail !== next.detail || prev.server !== next.server || prev.authFailure !== next.authFailure) this.emit('status', { ...next });
  }
}

/** Reads the PEM files named in the settings; a missing file is an error that names it. */
export function loadTls(t: NonNullable<ConnectionConfig['tls']>): tls.ConnectionOptions {
  const read = (what: string, p?: string) => {
    if (!p) return undefined;
    try {
      return readFileSync(p);
    } catch (e) {
      throw new ZkError('INVALID_ARGUMENT', msg('Cannot read the TLS {0} file {1}: {2}', what, p, (e as Error).message));
    }
  };
  return {
    ca: read('CA', t.ca),
    cert: read('certificate', t.cert),
    key: read('key', t.key),
    servername: t.servername,
    rejectUnauthorized: t.rejectUnauthorized ?? true,
  };
}

/** The longest timer Node allows: "until it works". */
const FOREVER_MS = 2 ** 31 - 1;
