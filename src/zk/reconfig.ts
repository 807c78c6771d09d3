// Running a checked reconfiguration: read the dynamic config (/zookeeper/config), send the
// proposal's incremental reconfig guarded by the version read (never a proposal with refusals),
// explain the server's refusals with the zoo.cfg line that fixes them, and follow the new config
// until every member's `conf` reports its version (or the deadline passes).
import { ZkError, isZkError, type ServerErrorCode } from './errors';
import { isNotServing, notWhitelistedWord, parseConf, parseSrvr, sendFourLetterWord, type EnsembleMember } from './health/fourLetterWords';
import { explainReconfigRefusal, parseDynamicConfig, refusalsMessage, type DynamicConfig, type Proposal } from './reconfigProposal';
import type { ZnodeStat } from './stat';
import { messageOfError, msg, renderMessage, type Message } from './message';
import { english, type Translate } from './localize';

export const CONFIG_NODE = '/zookeeper/config';

/** Longest config text read: far more than any real ensemble's `server.N=` lines. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** What of a client reconfiguration needs (ZkClient has it). */
export interface ReconfigClient {
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  reconfig(joining: readonly string[], leaving: readonly number[], fromConfig: bigint): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
}

export interface ReadConfig extends DynamicConfig {
  text: string;
}

function configFrom(data: Uint8Array, what: Message | string): ReadConfig {
  if (data.byteLength > MAX_CONFIG_BYTES) throw new ZkError('PROTOCOL', msg('{0} is {1} bytes: not a ZooKeeper dynamic config', what, data.byteLength.toLocaleString('en')));
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  return { ...parseDynamicConfig(text), text };
}

/** The ensemble's dynamic config, as the session's server has it. */
export async function readDynamicConfig(client: Pick<ReconfigClient, 'getData'>): Promise<ReadConfig> {
  const { data } = await client.getData(CONFIG_NODE);
  const config = configFrom(data, CONFIG_NODE);
  if (config.members.length === 0) {
    throw new ZkError('UNIMPLEMENTED', msg('{0} lists no members: the server runs standalone or predates dynamic reconfiguration (ZooKeeper 3.5+ with reconfigEnabled=true).', CONFIG_NODE), { path: CONFIG_NODE, op: 'read' });
  }
  return config;
}

const EXPLAINED: ReadonlySet<ServerErrorCode> = new Set(['RECONFIGDISABLED', 'NOAUTH', 'BADVERSION', 'NEWCONFIGNOQUORUM', 'RECONFIGINPROGRESS']);

/**
 * Sends the proposal's incremental reconfig, guarded by its config version. A proposal with
 * refusals is never sent. The server's refusals come back as ZkErrors (same code) whose message
 * says what to change, with `configLine` when a zoo.cfg line fixes it.
 */
export async function runReconfig(client: ReconfigClient, proposal: Proposal): Promise<ReadConfig> {
  if (proposal.refusals.length > 0) throw new ZkError('INVALID_ARGUMENT', msg('The reconfiguration was not sent: {0}', refusalsMessage(proposal)), { op: 'reconfigure the ensemble' });
  if (proposal.fromVersion === undefined) throw new ZkError('INVALID_ARGUMENT', msg('The reconfiguration was not sent: the config version read is unknown'), { op: 'reconfigure the ensemble' });
  try {
    const { data } = await client.reconfig(proposal.joining, proposal.leaving, BigInt(`0x${proposal.fromVersion}`));
    return configFrom(data, msg('The new config'));
  } catch (e) {
    throw explainedRefusal(e, proposal.fromVersion);
  }
}

export class ReconfigRefused extends ZkError {
  constructor(
    base: ZkError,
    message: string | Message,
    /** The zoo.cfg line that lifts the refusal, when one does. */
    readonly configLine?: string,
  ) {
    super(base.code, message, { serverCode: base.serverCode, op: base.op, cause: base });
    this.name = 'ReconfigRefused';
  }
}

/** The server's refusal in words a user can act on; other errors unchanged. */
export function explainedRefusal(e: unknown, fromVersion?: string): unknown {
  if (!isZkError(e) || !EXPLAINED.has(e.code as ServerErrorCode)) return e;
  const { text, configLine } = explainReconfigRefusal(e.code, fromVersion);
  return new ReconfigRefused(e, msg('The ensemble refused the reconfiguration ({0}): {1}', e.code, text), configLine);
}

// --- following ------------------------------------------------------------------------------

export type MemberProgress =
  | { id: number; state: 'reports'; version: string }
  | { id: number; state: 'behind'; version?: string }
  /** Has the new config but does not serve yet (a learner syncing with the leader again). */
  | { id: number; state: 'syncing'; version: string }
  /** `reason`: a Message, or an error's own text (a socket error's). */
  | { id: number; state: 'unreadable'; reason: Message | string };

export interface FollowOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** One probe's deadline. */
  probeMs?: number;
  /** Asks a member for a four-letter word, `conf` or `srvr` (default: on its client port). */
  ask?: (host: string, port: number, word: 'conf' | 'srvr', timeoutMs: number) => Promise<string>;
  signal?: AbortSignal;
  onProgress?: (progress: MemberProgress[]) => void;
}

export interface FollowResult {
  done: boolean;
  members: MemberProgress[];
}

/** Members probed at most: the config comes from the server and may name thousands. */
export const MAX_PROBED_MEMBERS = 64;

const tooMany = (id: number): MemberProgress => ({ id, state: 'unreadable', reason: msg('only the first {0} members are followed', MAX_PROBED_MEMBERS) });

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** Where to ask a member for `conf`: its client address (a wildcard one means its peer host). */
export function clientAddressOf(m: EnsembleMember): { host: string; port: number } | undefined {
  if (m.clientPort === undefined) return undefined;
  const host = m.clientHost && !ANY_ADDRESS.has(m.clientHost) ? m.clientHost : m.host;
  return { host, port: m.clientPort };
}

function atLeast(reported: string, target: string): boolean {
  return BigInt(`0x${reported}`) >= BigInt(`0x${target}`);
}

async function progressOf(m: EnsembleMember, target: string, opts: FollowOptions): Promise<MemberProgress> {
  const address = clientAddressOf(m);
  if (!address) return { id: m.id, state: 'unreadable', reason: msg('the config gives no client address for it') };
  const ask = opts.ask ?? ((host, port, word, timeoutMs) => sendFourLetterWord(host, port, word, { timeoutMs, maxBytes: 1024 * 1024, signal: opts.signal }));
  const probeMs = opts.probeMs ?? 2000;
  try {
    const reply = await ask(address.host, address.port, 'conf', probeMs);
    const refused = notWhitelistedWord(reply);
    if (refused) return { id: m.id, state: 'unreadable', reason: msg('it does not answer "conf": add conf to 4lw.commands.whitelist in its zoo.cfg') };
    if (isNotServing(reply)) return { id: m.id, state: 'behind' };
    const version = parseConf(reply).configVersion;
    if (version === undefined) return { id: m.id, state: 'behind' };
    if (!atLeast(version, target)) return { id: m.id, state: 'behind', version };
    return isServing(await ask(address.host, address.port, 'srvr', probeMs)) ? { id: m.id, state: 'reports', version } : { id: m.id, state: 'syncing', version };
  } catch (e) {
    return { id: m.id, state: 'unreadable', reason: messageOfError(e) };
  }
}

/**
 * Polls every member of the new config until each reports its version (or a later one). Members
 * that cannot be read are asked again until the deadline: a joining server may still be syncing.
 */
export async function followReconfig(config: DynamicConfig, opts: FollowOptions): Promise<FollowResult> {
  const target = config.version;
  if (target === undefined) return { done: false, members: config.members.map((m) => ({ id: m.id, state: 'unreadable', reason: msg('the new config has no version') })) };
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const members = await Promise.all(config.members.map((m, i) => (i < MAX_PROBED_MEMBERS ? progressOf(m, target, opts) : Promise.resolve(tooMany(m.id)))));
    opts.onProgress?.(members);
    const done = members.every((p) => p.state === 'reports');
    if (done || Date.now() >= deadline || opts.signal?.aborted) return { done, members };
    await new Promise((r) => setTimeout(r, Math.min(opts.intervalMs ?? 500, Math.max(0, deadline - Date.now()))));
  }
}

/**
 * The ids of the members that serve now (`srvr` with a serving Mode), the `up` a proposal is
 * checked against when the health panel has no fresher reading.
 */
export async function membersServing(config: DynamicConfig, probeMs = 2000, srvr?: (host: string, port: number, timeoutMs: number) => Promise<string>): Promise<Set<number>> {
  const ask = srvr ?? ((host, port, timeoutMs) => sendFourLetterWord(host, port, 'srvr', { timeoutMs, maxBytes: 64 * 1024 }));
  const serving = await Promise.all(
    config.members.map(async (m, i) => {
      const address = clientAddressOf(m);
      if (!address || i >= MAX_PROBED_MEMBERS) return false;
      try {
        return isServing(await ask(address.host, address.port, probeMs));
      } catch {
        return false;
      }
    }),
  );
  return new Set(config.members.filter((_, i) => serving[i]).map((m) => m.id));
}

/** A `srvr` reply of a member serving in an ensemble. */
function isServing(srvr: string): boolean {
  const reply = parseSrvr(srvr);
  const role = reply.figures.role;
  return !reply.notServing && (role === 'leader' || role === 'follower' || role === 'observer');
}

/** One line per member for the outcome report, worded through `t` (the adapter passes vscode.l10n.t). */
export function describeProgress(p: MemberProgress, t: Translate = english): string {
  switch (p.state) {
    case 'reports':
      return t('server.{0}: reports version {1}', p.id, p.version);
    case 'syncing':
      return t('server.{0}: has version {1}, not serving yet', p.id, p.version);
    case 'behind':
      return p.version ? t('server.{0}: still at version {1}', p.id, p.version) : t('server.{0}: has not reported the new config yet', p.id);
    case 'unreadable':
      return t('server.{0}: not read ({1})', p.id, renderMessage(p.reason, t));
  }
}
