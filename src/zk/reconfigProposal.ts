// Dynamic reconfiguration, as a proposal checked before anything is sent: Add Member, Remove
// Member and Change Role (participant <-> observer) against the config read from /zookeeper/config
// (`server.N=` lines and its `version=`). The proposal says what the new quorum will be (voters,
// majority, failures survived) and is refused when it leaves no voter, would need more voters up
// than are up now (no quorum to commit it or to run after it), or collides with a member. The
// incremental reconfig it stands for is `-add`/`-remove` lines guarded by the version read (`-v`);
// the server's refusals are explained with the zoo.cfg line that fixes them. Pure.
import { parseMembership, type EnsembleMember } from './health/fourLetterWords';
import type { Translate } from './localize';
import { joinMessages, msg, renderMessage, type Message } from './message';

export type MemberRole = EnsembleMember['type'];

export interface DynamicConfig {
  members: EnsembleMember[];
  /** Hex, as in `version=100000000`; the reconfig is guarded by it. */
  version?: string;
}

export function parseDynamicConfig(text: string): DynamicConfig {
  const { members, configVersion } = parseMembership(text);
  return configVersion !== undefined ? { members, version: configVersion } : { members };
}

export type Change =
  | { kind: 'add'; member: EnsembleMember }
  | { kind: 'remove'; id: number }
  | { kind: 'changeRole'; id: number; role: MemberRole };

export interface Quorum {
  voters: number;
  /** Votes needed: a strict majority of the voters. */
  majority: number;
  /** Voters that may fail with the ensemble still serving. */
  survives: number;
  observers: number;
}

export function quorumOf(members: readonly EnsembleMember[]): Quorum {
  const voters = members.filter((m) => m.type === 'participant').length;
  const majority = Math.floor(voters / 2) + 1;
  return { voters, majority, survives: Math.max(0, voters - majority), observers: members.length - voters };
}

/** "3 voters, majority 2, survives 1 failure, 1 observer" as a Message (each count worded for its number). */
export function quorumMessage(q: Quorum): Message {
  if (q.voters === 0) return msg('no voters: no quorum at all');
  const voters = q.voters === 1 ? msg('1 voter') : msg('{0} voters', q.voters);
  const survives = q.survives === 1 ? msg('survives 1 failure') : msg('survives {0} failures', q.survives);
  if (q.observers === 0) return msg('{0}, majority {1}, {2}', voters, q.majority, survives);
  const observers = q.observers === 1 ? msg('1 observer') : msg('{0} observers', q.observers);
  return msg('{0}, majority {1}, {2}, {3}', voters, q.majority, survives, observers);
}

/** The quorum in words, through `t` (the adapter passes vscode.l10n.t; English by default). */
export function describeQuorum(q: Quorum, t?: Translate): string {
  return renderMessage(quorumMessage(q), t);
}

/** A refused proposal's refusals as one Message ("a; b; c"), e.g. for an error; only for a proposal with refusals. */
export function refusalsMessage(p: Pick<Proposal, 'refusals'>): Message {
  return joinMessages(p.refusals);
}

/** `server.4=127.0.0.1:2888:3888:observer;127.0.0.1:2184`: a member as reconfig -add and zoo.cfg write it. */
export function memberLine(m: EnsembleMember): string {
  const host = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const client = m.clientPort !== undefined ? `;${m.clientHost ? `${host(m.clientHost)}:` : ''}${m.clientPort}` : '';
  return `server.${m.id}=${host(m.host)}:${m.quorumPort ?? ''}:${m.electionPort ?? ''}:${m.type}${client}`;
}

export interface Proposal {
  change: Change;
  before: Quorum;
  after: Quorum;
  members: EnsembleMember[];
  /** For the incremental reconfig: the lines to add (joining) and the ids to remove (leaving). */
  joining: string[];
  leaving: number[];
  /** The config version the reconfig is guarded by. */
  fromVersion?: string;
  /** Why it must not be sent (empty: it may); Messages the adapter translates. */
  refusals: Message[];
  /** Worth saying, not refusing. */
  warnings: Message[];
}

/** The refusal of a config read without its version (the Add Member input box leaves it to the run). */
export const NO_VERSION: Message = msg('The config has no version: read /zookeeper/config again (the reconfig is guarded by it)');

/**
 * Builds and checks a proposal. `up` are the ids of the members that answer now (the health
 * panel's reading); without it only the shape of the new quorum is checked.
 */
export function propose(config: DynamicConfig, change: Change, up?: ReadonlySet<number>): Proposal {
  const current = config.members;
  const refusals: Message[] = [];
  const warnings: Message[] = [];
  let members: EnsembleMember[];
  let joining: string[] = [];
  let leaving: number[] = [];
  const find = (id: number) => current.find((m) => m.id === id);
  switch (change.kind) {
    case 'add': {
      const m = change.member;
      if (!Number.isInteger(m.id) || m.id < 0) refusals.push(msg('A member id is a whole number, 0 or more'));
      if (find(m.id)) refusals.push(msg('server.{0} is already a member: choose another id, or Change Role', m.id));
      if (m.quorumPort === undefined || m.electionPort === undefined) refusals.push(msg('A new member needs its quorum and election ports'));
      if (m.clientPort === undefined) refusals.push(msg('A new member needs its client port (;[host:]port)'));
      const clash = current.find((x) => x.host === m.host && (x.quorumPort === m.quorumPort || x.electionPort === m.electionPort || x.quorumPort === m.electionPort || x.electionPort === m.quorumPort));
      if (clash) refusals.push(msg("{0} ports clash with server.{1}'s ({2}:{3})", m.host, clash.id, clash.quorumPort ?? '', clash.electionPort ?? ''));
      members = [...current, m].sort((a, b) => a.id - b.id);
      joining = [memberLine(m)];
      if (m.type === 'participant') warnings.push(msg('A new voter must be running (with this config) before the change: until it syncs, it counts against the majority.'));
      break;
    }
    case 'remove': {
      const m = find(change.id);
      if (!m) refusals.push(msg('server.{0} is not a member', change.id));
      members = current.filter((x) => x.id !== change.id);
      leaving = [change.id];
      break;
    }
    case 'changeRole': {
      const m = find(change.id);
      if (!m) refusals.push(msg('server.{0} is not a member', change.id));
      else if (m.type === change.role) refusals.push(change.role === 'participant' ? msg('server.{0} already is a participant', change.id) : msg('server.{0} already is an observer', change.id));
      const changed = m ? { ...m, type: change.role } : undefined;
      members = current.map((x) => (x.id === change.id && changed ? changed : x));
      // An incremental reconfig changes a role by adding the member again with the new role.
      if (changed) joining = [memberLine(changed)];
      break;
    }
  }
  const before = quorumOf(current);
  const after = quorumOf(members);
  if (after.voters === 0) refusals.push(msg('It leaves no participant: no member could lead or vote'));
  if (up) {
    const upBefore = current.filter((m) => m.type === 'participant' && up.has(m.id)).length;
    const upAfter = members.filter((m) => m.type === 'participant' && up.has(m.id)).length;
    if (upBefore < before.majority) refusals.push(msg('Only {0} of {1} voters answer now (majority {2}): the ensemble cannot commit a change', upBefore, before.voters, before.majority));
    else if (after.voters > 0 && upAfter < after.majority)
      refusals.push(msg('It would lose the quorum: {0} of the new {1} voters answer now, and {2} are needed', upAfter, after.voters, after.majority));
  }
  if (refusals.length === 0 && after.voters > 0 && after.survives === 0 && after.voters < before.voters) warnings.push(msg('The new ensemble survives no failure ({0})', quorumMessage(after)));
  if (after.voters > 0 && after.voters % 2 === 0) warnings.push(msg('{0} voters survive no more failures than {1}: an odd number is usual', after.voters, after.voters - 1));
  const proposal: Proposal = { change, before, after, members, joining, leaving, refusals, warnings };
  if (config.version !== undefined) proposal.fromVersion = config.version;
  else refusals.push(NO_VERSION);
  return proposal;
}

/** zkCli's form of the incremental reconfig, for the user to read or run themselves. */
export function reconfigCommand(p: Proposal): string {
  const parts = ['reconfig'];
  if (p.joining.length > 0) parts.push('-add', p.joining.join(','));
  if (p.leaving.length > 0) parts.push('-remove', p.leaving.join(','));
  if (p.fromVersion !== undefined) parts.push('-v', String(BigInt(`0x${p.fromVersion}`)));
  return parts.join(' ');
}

/** What to say when the server refuses a reconfig, by its error code, with the line that fixes it (a Message the adapter translates). */
export function explainReconfigRefusal(code: string, fromVersion?: string): { text: Message; configLine?: string } {
  switch (code) {
    case 'RECONFIGDISABLED':
      return { text: msg("The servers do not allow dynamic reconfiguration: set reconfigEnabled=true in every member's zoo.cfg and restart them one by one."), configLine: 'reconfigEnabled=true' };
    case 'NOAUTH':
      return {
        text: msg('Reconfiguration needs an authorised session: the super user (the servers started with -Dzookeeper.DigestAuthenticationProvider.superDigest=super:<digest>, then this connection with digest credentials super:<password>), or the servers run with skipACL=yes (no ACL checks at all).'),
        configLine: 'skipACL=yes',
      };
    case 'BADVERSION':
      return {
        text: fromVersion
          ? msg('The config changed since it was read (version {0}): someone else reconfigured the ensemble. Read it again and review the proposal.', fromVersion)
          : msg('The config changed since it was read: someone else reconfigured the ensemble. Read it again and review the proposal.'),
      };
    case 'NEWCONFIGNOQUORUM':
      return { text: msg("The new config's voters did not acknowledge it: a new voter must be running and connected to the leader before the change, or a removed one left too few voters up.") };
    case 'RECONFIGINPROGRESS':
      return { text: msg('Another reconfiguration is in progress: wait until it is done and read the config again.') };
    default:
      return { text: msg('The server refused the reconfiguration ({0}).', code) };
  }
}
