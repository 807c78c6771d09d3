import * as assert from 'node:assert/strict';
import { formatHolders } from '../../src/zk/holders';
import { msg } from '../../src/zk/message';
import { formatNodeDetails } from '../../src/zk/nodeDetails';
import {
  compareSequential,
  dominantKind,
  holdersByName,
  holdingCount,
  isSingleHolderName,
  kindOfName,
  kindOfPrefix,
  parseController,
  recipeOrder,
  resolveKind,
  parseSequentialName,
  type RecipeReading,
  type SequentialName,
} from '../../src/zk/recipes';
import type { ConnectionsReading, SessionLookup } from '../../src/zk/sessions';
import { locateSession } from '../../src/zk/sessions';
import type { ZnodeStat } from '../../src/zk/stat';
import { marking, untranslated } from './markingTranslate';

const UUID_A = '3f2a0c1e-9b7d-4e2a-8c55-000000000000';
const UUID_B = '0a9b8c7d-1111-4e2a-8c55-ffffffffffff';
const UUID_C = 'ffff0000-2222-4e2a-8c55-123456789abc';

const seq = (names: string[]): SequentialName[] => names.map((n) => parseSequentialName(n)!);
const ordered = (names: string[]): string[] => seq(names).sort(compareSequential).map((s) => s.name);

describe('recipes: locks, elections and queues among children', () => {
  describe('sequential names', () => {
    it('reads the counter and the prefix, with Curator protection stripped', () => {
      assert.deepEqual(parseSequentialName(`_c_${UUID_A}-lock-0000000042`), {
        name: `_c_${UUID_A}-lock-0000000042`,
        prefix: `_c_${UUID_A}-lock-`,
        base: 'lock-',
        protectedId: UUID_A,
        sequence: 42,
        order: 42,
      });
      assert.equal(parseSequentialName('n_0000000007')?.base, 'n_');
      assert.equal(parseSequentialName('72057594037927936-core_node1-n_0000000003')?.base, '72057594037927936-core_node1-n_');
      assert.equal(parseSequentialName('lock-00000001'), undefined, 'eight digits');
      assert.equal(parseSequentialName('lock-000000001'), undefined, 'nine digits');
      assert.equal(parseSequentialName('broker-1'), undefined);
      assert.equal(parseSequentialName('1'), undefined);
    });

    it('after the counter wraps at 2^31 the negative names come last (creation order)', () => {
      const wrapped = parseSequentialName('lock--2147483648')!;
      assert.equal(wrapped.sequence, -2147483648);
      assert.equal(wrapped.base, 'lock-');
      assert.equal(parseSequentialName('lock-2147483649'), undefined, 'beyond the counter');
      assert.equal(parseSequentialName('lock2147483648'), undefined, 'beyond the counter, no sign');
      assert.deepEqual(ordered(['lock--2147483648', 'lock-2147483647', 'lock-2147483646']), ['lock-2147483646', 'lock-2147483647', 'lock--2147483648']);
    });

    it('orders by counter, not by name (the prefixes differ)', () => {
      const names = [`_c_${UUID_C}-lock-0000000000`, `_c_${UUID_A}-lock-0000000002`, `_c_${UUID_B}-lock-0000000001`];
      assert.deepEqual([...names].sort(), [`_c_${UUID_B}-lock-0000000001`, `_c_${UUID_A}-lock-0000000002`, `_c_${UUID_C}-lock-0000000000`], 'by name the holder would be last');
      assert.deepEqual(ordered(names), [names[0], names[2], names[1]]);
      assert.deepEqual(ordered(['72057594037927937-n_0000000005', '72057594037927936-n_0000000009', 'zz-n_0000000001']), ['zz-n_0000000001', '72057594037927937-n_0000000005', '72057594037927936-n_0000000009']);
    });
  });

  describe('which recipe', () => {
    it('knows the usual prefixes', () => {
      const cases: [string, string][] = [
        ['lock-', 'lock'],
        ['-lock-', 'lock'],
        ['x-72057594037927936-', 'lock'],
        ['__READ__', 'readWriteLock'],
        ['__WRIT__', 'readWriteLock'],
        ['latch-', 'election'],
        ['n_', 'election'],
        ['72057594037927936-n_', 'election'],
        ['member_', 'election'],
        ['leader-', 'election'],
        ['lease-', 'semaphore'],
        ['worker-', 'sequence'],
        ['', 'sequence'],
      ];
      for (const [base, kind] of cases) assert.equal(kindOfPrefix(base), kind, base);
    });

    it('the kind of most names wins; a read-write lock as soon as one name says so', () => {
      assert.equal(dominantKind(seq(['lock-0000000001', 'lock-0000000002', 'worker-0000000003'])), 'lock');
      assert.equal(dominantKind(seq([`_c_${UUID_A}-latch-0000000001`, `_c_${UUID_B}-latch-0000000000`])), 'election');
      assert.equal(dominantKind(seq([`_c_${UUID_A}-__READ__0000000001`, 'lock-0000000002', 'lock-0000000003'])), 'readWriteLock');
      assert.equal(dominantKind([]), undefined);
    });

    it('a read-write lock is held by every reader before the first writer, or by a writer alone', () => {
      const rw = (names: string[]) => holdingCount('readWriteLock', seq(names).sort(compareSequential));
      assert.equal(rw(['a-__READ__0000000001', 'b-__READ__0000000002', 'c-__WRIT__0000000003', 'd-__READ__0000000004']), 2);
      assert.equal(rw(['c-__WRIT__0000000001', 'a-__READ__0000000002']), 1);
      assert.equal(rw(['a-__READ__0000000001', 'b-__READ__0000000002']), 2);
      assert.equal(holdingCount('lock', seq(['lock-0000000001', 'lock-0000000002'])), 1);
    });

    it('holders by name alone, among non-sequential siblings', () => {
      const h = holdersByName(['config', `_c_${UUID_A}-lock-0000000003`, `_c_${UUID_C}-lock-0000000002`, 'readme', `_c_${UUID_B}-lock-0000000004`], '/locks/orders');
      assert.deepEqual(h && { kind: h.kind, holders: [...h.holders] }, { kind: 'lock', holders: [`_c_${UUID_C}-lock-0000000002`] });
      assert.equal(holdersByName(['item-00001', 'item-00002']), undefined);
      assert.deepEqual([...holdersByName(['n_0000000010', 'n_0000000009'])!.holders], ['n_0000000009']);
    });

    it("kazoo's Lock and Election (and Curator's mutex and LeaderSelector) share names: 'lock or election' unless the place tells", () => {
      const kazoo = [`${'b'.repeat(32)}__lock__0000000002`, `${'a'.repeat(32)}__lock__0000000001`, `${'c'.repeat(32)}__lock__0000000000`];
      assert.equal(kindOfPrefix(`${'a'.repeat(32)}__lock__`), 'lockOrElection');
      assert.equal(kindOfName(parseSequentialName(`_c_${UUID_A}-lock-0000000001`)!), 'lockOrElection', "Curator's mutex, also used by LeaderSelector");
      assert.equal(kindOfName(parseSequentialName('lock-0000000001')!), 'lock');
      assert.equal(kindOfName(parseSequentialName(`_c_${UUID_A}-latch-0000000001`)!), 'election');
      // Nothing tells: both named.
      const plain = holdersByName(kazoo, '/app/coordination/q1');
      assert.deepEqual(plain && { kind: plain.kind, holders: [...plain.holders] }, { kind: 'lockOrElection', holders: [kazoo[2]] });
      // The nearest segment of the path that says which.
      assert.equal(holdersByName(kazoo, '/app/election')!.kind, 'election');
      assert.equal(holdersByName(kazoo, '/svc/leader/q')!.kind, 'election');
      assert.equal(holdersByName(kazoo, '/locks/payments')!.kind, 'lock');
      assert.equal(resolveKind('lockOrElection', '/locks/leader'), 'election', 'the nearest segment wins');
      assert.equal(resolveKind('lockOrElection', '/x/y', 'leader election for the scheduler'), 'election');
      assert.equal(resolveKind('lockOrElection', '/x/y', Buffer.from('mutex of the billing job')), 'lock');
      assert.equal(resolveKind('lockOrElection', '/x/y', '{"owner":"ops"}'), 'lockOrElection');
      assert.equal(resolveKind('election', '/locks/a'), 'election', 'a kind the names tell stays');
      // kazoo's read-write lock: readers before the first writer hold.
      const rw = holdersByName(['r__rlock__0000000000', 'r__rlock__0000000001', 'w__lock__0000000002', 'r__rlock__0000000003']);
      assert.deepEqual(rw && { kind: rw.kind, holders: [...rw.holders].sort() }, { kind: 'readWriteLock', holders: ['r__rlock__0000000000', 'r__rlock__0000000001'] });
    });

    it("orders a recipe's children by sequence number (holder first), other listings not", () => {
      const kazoo = [`${'b'.repeat(32)}__lock__0000000002`, `${'a'.repeat(32)}__lock__0000000000`, `${'c'.repeat(32)}__lock__0000000001`];
      assert.deepEqual([...kazoo].sort(recipeOrder(kazoo)), [kazoo[1], kazoo[2], kazoo[0]]);
      const curator = [`_c_${UUID_C}-lock-0000000000`, `_c_${UUID_A}-lock-0000000002`, `_c_${UUID_B}-lock-0000000001`];
      assert.deepEqual([...curator].sort(recipeOrder(curator)), [curator[0], curator[2], curator[1]]);
      assert.equal(recipeOrder(['config', ...kazoo]), undefined, 'not only sequential children');
      assert.equal(recipeOrder(['backup-2024010100', 'app-2024010101']), undefined, 'sequential-looking names of no recipe');
      assert.equal(recipeOrder([kazoo[0]]), undefined);
    });

    it("Kafka's controller data and single-node locks", () => {
      assert.deepEqual(parseController('{"version":1,"brokerid":3,"timestamp":"1700000000000"}'), { brokerId: 3, timestamp: new Date(1700000000000) });
      assert.deepEqual(parseController(Buffer.from('{"brokerid":0}')), { brokerId: 0 });
      for (const bad of ['', 'null', '[]', '{"brokerid":"1"}', '{"brokerid":-1}', '{"brokerid":1.5}', '{', '{"version":1}']) assert.equal(parseController(bad), undefined, bad);
      for (const yes of ['controller', 'leader', 'master', 'ActiveStandbyElectorLock', 'lock']) assert.ok(isSingleHolderName(yes), yes);
      for (const no of ['ids', 'controller_epoch', 'lock-0000000001', 'locks2']) assert.ok(!isSingleHolderName(no), no);
    });
  });

  describe('the holders report', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, s));
    const reading: RecipeReading = {
      path: '/locks/orders',
      kind: 'lock',
      contenders: [
        { name: `_c_${UUID_C}-lock-0000000000`, path: `/locks/orders/_c_${UUID_C}-lock-0000000000`, position: 1, role: 'holder', sequence: 0, owner: '0x100000abc0000', since: at(1) },
        { name: `_c_${UUID_A}-lock-0000000001`, path: `/locks/orders/_c_${UUID_A}-lock-0000000001`, position: 2, role: 'waiting', sequence: 1, owner: '0x200000abc0001', since: at(2) },
        { name: 'lock-0000000002|<img src=x>', path: '/locks/orders/x', position: 3, role: 'waiting', sequence: 2, owner: '0x300000abc0002', since: at(3) },
      ],
      more: 2,
      persistentSequential: 0,
      vanished: 0,
      members: [],
      membersNotChecked: 0,
      children: 5,
      notes: [],
    };
    const cons: ConnectionsReading = {
      at: 0,
      servers: [
        {
          server: { host: '127.0.0.1', port: 2181, id: 1 },
          label: 'server.1 (127.0.0.1:2181)',
          via: 'cons',
          connections: [{ address: '10.0.0.7', port: 45900, sessionId: '0x100000abc0000', established: Date.UTC(2026, 0, 2, 3, 0, 0) }],
        },
        {
          server: { host: '127.0.0.1', port: 2182, id: 2 },
          label: 'server.2 (127.0.0.1:2182)',
          via: 'cons',
          connections: [{ address: '0:0:0:0:0:0:0:1', port: 5000, sessionId: '0x200000abc0001' }],
        },
        {
          server: { host: '127.0.0.1', port: 2183 },
          label: '127.0.0.1:2183',
          problem: { kind: 'notWhitelisted', message: 'it refuses the four-letter word cons (not in its 4lw.commands.whitelist)', configLine: '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons' },
          fallbackProblem: 'no AdminServer port is set for it',
        },
      ],
    };
    const lookups = new Map<string, SessionLookup>(reading.contenders.map((c) => [c.owner, locateSession(cons, c.owner)]));

    it('holder first, the rest waiting, each with its client and server; the reason for the unknown one', () => {
      const text = formatHolders({ connection: 'dev', reading, lookups, ownSessionId: '0x200000abc0001' });
      assert.match(text, /^# Holders of \/locks\/orders/);
      assert.match(text, /This is a lock: one holder, 4 waiting\./);
      assert.ok(text.includes(`**Holder:** \`_c_${UUID_C}-lock-0000000000\`, session \`0x100000abc0000\`: client 10\\.0\\.0\\.7:45900 connected to server\\.1 \\(127\\.0\\.0\\.1:2181\\) since 2026\\-01\\-02 03:00:00 UTC; in line since 2026-01-02 03:04:01 UTC`), text);
      assert.match(text, /\| 1 \| \*\*holder\*\* \| `_c_[^`]+-lock-0000000000` \| `0x100000abc0000` \| 10\\\.0\\\.0\\\.7:45900 \| server\\\.1 \\\(127\\\.0\\\.0\\\.1:2181\\\) \| 2026-01-02 03:04:01 UTC \|/);
      assert.match(text, /\| 2 \| waiting \| `_c_[^`]+-lock-0000000001` \| `0x200000abc0001` \(this window\) \| \\\[::1\\\]:5000 \| server\\\.2/);
      assert.match(text, /\| 3 \| waiting \| `lock-0000000002\\\|<img src=x>` \| `0x300000abc0002` \| \*unknown\* \| not connected to any server we could ask \|/);
      assert.match(text, /…and 2 more contenders waiting, not read\./);
      assert.match(text, /## Clients not found/);
      assert.match(text, /- 127\\\.0\\\.0\\\.1:2183: it refuses the four\\-letter word cons/);
      assert.match(text, /```properties\n4lw\.commands\.whitelist=srvr,mntr,conf,isro,ruok,cons\n```/);
      assert.ok(!/<img/.test(text.replace(/`[^`]*`/g, '')), 'hostile names only inside code spans');
    });

    it("a lock or election that cannot be told apart says so, and names the first as holder / leader", () => {
      const contenders = reading.contenders.map((c, i) => ({ ...c, role: i === 0 ? ('holder / leader' as const) : ('waiting' as const) }));
      const text = formatHolders({ connection: 'dev', reading: { ...reading, kind: 'lockOrElection', contenders: contenders.slice(0, 3), more: 0 }, lookups });
      assert.match(text, /This is a lock or a leader election \(kazoo and Curator give both the same node names, and neither the path nor the parent's data says which\): one holder \/ leader, 2 waiting\./);
      assert.match(text, /\*\*Holder \/ leader:\*\*/);
      assert.match(text, /\| 1 \| \*\*holder \/ leader\*\* \|/);
    });

    it('an election says leader; nothing in line says so plainly', () => {
      const election = formatHolders({ connection: 'dev', reading: { ...reading, kind: 'election', contenders: [{ ...reading.contenders[0], role: 'leader' }], more: 0 }, lookups });
      assert.match(election, /This is a leader election: one leader, 0 waiting\./);
      assert.match(election, /\*\*Leader:\*\*/);
      const none = formatHolders({ connection: 'dev', reading: { ...reading, kind: undefined, contenders: [], more: 0, persistentSequential: 3, children: 4 }, lookups: new Map() });
      assert.match(none, /\*\*No lock or election recipe here\.\*\*/);
      assert.match(none, /None of its 4 children is an ephemeral sequential node/);
      assert.match(none, /3 sequential children are persistent: the items of a queue/);
    });

    it("Kafka's controller: one node, its session leads", () => {
      const controller = { name: 'controller', path: '/controller', position: 1, role: 'leader' as const, owner: '0x100000abc0000', since: at(9), note: msg('Kafka controller: broker {0}', 1) };
      const text = formatHolders({ connection: 'dev', reading: { ...reading, path: '/', kind: 'singleHolder', contenders: [controller], more: 0 }, lookups });
      assert.match(text, /This is a single ephemeral node: whoever holds that session holds the leadership\./);
      assert.match(text, /\*\*Leader:\*\* `controller` \(Kafka controller: broker 1\), session `0x100000abc0000`: client 10\\.0\\.0\\.7:45900 .*; held since 2026-01-02 03:04:09 UTC/);
      const marked = formatHolders({ connection: 'dev', reading: { ...reading, path: '/', kind: 'singleHolder', contenders: [controller], more: 0, notes: [msg("The parent's sequence counter wrapped past 2^31: negative numbers were created after the positive ones and are ordered so.")] }, lookups, t: marking });
      assert.match(marked, /`controller` \(«Kafka controller: broker 1»\)/);
      assert.match(marked, /^«The parent's sequence counter wrapped past 2\^31: [^»]+»$/m);
    });

    it('the lookup failed as a whole: said once', () => {
      const text = formatHolders({ connection: 'dev', reading, lookupError: 'the connect string names no server' });
      assert.match(text, /The clients could not be looked up: the connect string names no server/);
      assert.match(text, /\*not looked up\*/);
    });

    it('words its headings, columns, roles and sentences through the Translate it is given; ids and paths stay as they are', () => {
      const text = formatHolders({ connection: 'dev', reading, lookups, ownSessionId: '0x200000abc0001', t: marking });
      assert.match(text, /^# «Holders of \/locks\/orders»$/m);
      assert.match(text, /^«This is «a lock»: one «holder», 4 waiting\.»$/m);
      assert.match(text, /^\*\*««Holder»:»\*\* «`_c_[^`]+-lock-0000000000`, session `0x100000abc0000`: «client [^»]+»; in line since 2026-01-02 03:04:01 UTC»$/m);
      assert.match(text, /\| # \| «Role» \| «Node» \| «Session» \| «Client» \| «Server» \| «Since \(created\)» \|/);
      assert.match(text, /\| 2 \| «waiting» \| `_c_[^`]+` \| «`0x200000abc0001` \(this window\)» \|/);
      assert.match(text, /^## «Clients not found»$/m);
      // Left out: each server's reason in the list (worded by the session lookup, src/zk/sessions.ts) and the node names (code spans).
      const rest = untranslated(text).replace(/^- .*$/gm, '').replace(/`[^`]*`/g, '');
      assert.doesNotMatch(rest, /[a-z]{3,} [a-z]{3,}/i, `no English outside the translated parts: ${rest}`);
      const none = formatHolders({ connection: 'dev', reading: { ...reading, kind: undefined, contenders: [], more: 0, persistentSequential: 3, children: 4 }, t: marking });
      assert.match(none, /«None of its 4 children is an ephemeral sequential node [^»]+» «3 sequential children are persistent[^»]+»/);
      assert.doesNotMatch(untranslated(none), /[a-z]{3,} [a-z]{3,}/i, untranslated(none));
    });
  });

  describe('Show Node Details of an ephemeral node', () => {
    const stat: ZnodeStat = {
      czxid: '0x1',
      mzxid: '0x1',
      pzxid: '0x1',
      ctime: new Date(0),
      mtime: new Date(0),
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: '0x100000abc0000',
      dataLength: 0,
      numChildren: 0,
    };
    const cons: ConnectionsReading = {
      at: 0,
      servers: [
        { server: { host: 'zk1', port: 2181, id: 1 }, label: 'server.1 (zk1:2181)', via: 'cons', connections: [{ address: '10.0.0.7', port: 45900, sessionId: '0x100000abc0000' }] },
        { server: { host: 'zk2', port: 2181 }, label: 'zk2:2181', problem: { kind: 'notWhitelisted', message: 'it refuses the four-letter word cons (not in its 4lw.commands.whitelist)', configLine: '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons' } },
      ],
    };

    it("gains the owner's client and server", () => {
      const text = formatNodeDetails({ connection: 'dev', path: '/e', stat, owner: locateSession(cons, stat.ephemeralOwner) });
      assert.match(text, /\| Owner \| client 10\\\.0\\\.0\\\.7:45900 connected to server\\\.1 \\\(zk1:2181\\\) \|/);
    });

    it('or why not, with the line that fixes it', () => {
      const text = formatNodeDetails({ connection: 'dev', path: '/e', stat, owner: locateSession(cons, '0x5') });
      assert.match(text, /\| Owner \| not connected to any server we could ask \\\(server\\\.1 \\\(zk1:2181\\\): not among its 1 session; zk2:2181: it refuses the four\\-letter word cons .*\)\. To let the servers that refuse cons be asked, add `4lw\.commands\.whitelist=srvr,mntr,conf,isro,ruok,cons` to their zoo\.cfg and restart them \|/);
      const failed = formatNodeDetails({ connection: 'dev', path: '/e', stat, ownerError: 'boom' });
      assert.match(failed, /\| Owner \| client not looked up: boom \|/);
      const persistent = formatNodeDetails({ connection: 'dev', path: '/p', stat: { ...stat, ephemeralOwner: '0x0' } });
      assert.doesNotMatch(persistent, /\| Owner \|/);
    });
  });
});
