import * as assert from 'node:assert/strict';
import { formatSessionsReport } from '../../../src/zk/clusterAdmin/sessionReport';
import type { SessionList } from '../../../src/zk/sessionList';
import type { ServerConnections } from '../../../src/zk/sessions';
import { marking, untranslated } from '../markingTranslate';
import { joinMessages, msg } from '../../../src/zk/message';

const server: ServerConnections = {
  server: { host: '127.0.0.1', port: 2181, id: 1 },
  label: 'server.1 (127.0.0.1:2181)',
};
const refusing: ServerConnections = {
  server: { host: '127.0.0.1', port: 2182, id: 2 },
  label: 'server.2 (127.0.0.1:2182)',
  problem: { kind: 'notWhitelisted', message: 'cons is not executed because it is not in the whitelist', configLine: '4lw.commands.whitelist=cons,dump' },
};

function list(): SessionList {
  return {
    at: Date.UTC(2026, 0, 1, 12, 0, 0),
    sessions: [
      {
        sessionId: '0x100',
        own: true,
        connection: { found: true, sessionId: '0x100', client: '127.0.0.1:40000', clientHost: '127.0.0.1', clientPort: 40000, server } as never,
        ephemerals: Array.from({ length: 22 }, (_, i) => `/locks/orders/lock-${String(i).padStart(10, '0')}`),
        holdings: [{ path: '/locks/orders/lock-0000000000', role: 'holder' }],
      },
      { sessionId: '0x200', own: false, ephemerals: [], holdings: [{ path: '/locks/orders/lock-0000000001', role: 'waiting' }] },
    ],
    connections: { servers: [server, refusing], at: 0 },
    dumps: [{ label: 'server.2 (127.0.0.1:2182)', ok: false, configLine: '4lw.commands.whitelist=cons,dump' }],
    holdingsNote: msg('Locks and elections may be missing: {0}.', joinMessages([msg('{0} parent nodes were not listed (at most {1})', 3, 200), msg('{0} parent node(s) could not be listed (e.g. {1})', 1, '/locks/x')])),
  };
}

describe('formatSessionsReport', () => {
  it('keeps its English wording by default', () => {
    const text = formatSessionsReport({ connection: 'ens', list: list() });
    assert.match(text, /^# Sessions of ens$/m);
    assert.match(text, /^2 sessions, read at /m);
    assert.match(text, /\| `0x100` \(this window\) \| `127\.0\.0\.1:40000` \|.*and 2 more \| holder `\/locks\/orders` \|/);
    assert.match(text, /\| `0x200` \| — \| not connected to a server that answered \| — \| waiting `\/locks\/orders` \|/);
    assert.match(text, /^1 session is known to the ensemble/m);
    assert.match(text, /- server\\\.2 .*: its sessions and ephemeral nodes \(dump\) could not be read: no answer; add `4lw/);
    assert.match(text, /^Locks and elections may be missing: 3 parent nodes were not listed \\\(at most 200\\\); 1 parent node\\\(s\\\) could not be listed/m);
  });

  it('words its headings, columns and sentences through the Translate it is given; ids, paths and numbers stay as they are', () => {
    const text = formatSessionsReport({ connection: 'ens', list: list(), t: marking });
    assert.match(text, /^# «Sessions of ens»$/m);
    assert.match(text, /\| «Session» \| «Client» \| «Server» \| «Ephemeral nodes» \| «Holds» \|/);
    assert.match(text, /«`0x100` \(this window\)»/);
    assert.match(text, /«and 2 more» \| «holder» `\/locks\/orders` \|/);
    assert.match(text, /«waiting» `\/locks\/orders`/);
    assert.match(text, /^## «Not read»$/m);
    assert.doesNotMatch(untranslated(text), /[a-z]{3,} [a-z]{3,}/i, `no English outside the translated parts: ${untranslated(text)}`);
    const filtered = formatSessionsReport({ connection: 'ens', list: list(), filter: ':40000', t: marking });
    assert.match(filtered, /«1 of 2 sessions whose client address contains `:40000`, read at [^»]+»/);
  });
});
