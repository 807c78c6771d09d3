// The Dynamic configuration section's data, types only: the webview imports them through
// src/protocol/health.ts without pulling the domain's Node code into its bundle.

export interface DynamicMemberRow {
  id: number;
  role: 'participant' | 'observer';
  /** `host:quorumPort:electionPort`. */
  peer: string;
  /** `host:port`, when the config names it. */
  client?: string;
  /** What the server itself says now: its mode, "not serving", or why it does not answer. */
  reports: string;
}

export interface DynamicConfigReading {
  at: number;
  /** Hex, as in `version=100000003`. */
  version?: string;
  members: DynamicMemberRow[];
  /** "3 voters, majority 2, survives 1 failure". */
  quorum: string;
  /** Why there is nothing to show (standalone, a chroot, no session), instead of members. */
  problem?: string;
}
