// The `dump` four-letter word's text and the AdminServer's dump JSON, as 3.8 sends them, and
// hostile variants: lines that do not fit are skipped, never guessed.
import * as assert from 'node:assert/strict';
import { parseAdminDump, parseDump } from '../../src/zk/sessionList';

// Captured from a 3.8.0 standalone server (one client with two ephemeral nodes, one without).
const DUMP = [
  'SessionTracker dump:',
  'Session Sets (2)/(3):',
  '2 expire at Wed Dec 02 08:06:41 UTC 2026:',
  '\t0x10000af38ff0007',
  '\t0x10000af38ff0014',
  '1 expire at Wed Dec 02 08:06:43 UTC 2026:',
  '\t0x10000af38ff0009',
  'ephemeral nodes dump:',
  'Sessions with Ephemerals (1):',
  '0x10000af38ff0014:',
  '\t/eph1',
  '\t/q1/eph2',
  'Connections dump:',
  'Connections Sets (4)/(1):',
  '1 expire at Wed Dec 02 08:06:55 UTC 2026:',
  '\tip: /127.0.0.1:48732 sessionId: 0x0',
  '',
].join('\n');

describe('dump', () => {
  it('sessions with their expiry, and the ephemeral nodes by session', () => {
    const d = parseDump(DUMP);
    assert.deepEqual([...d.sessions.keys()], ['0x10000af38ff0007', '0x10000af38ff0014', '0x10000af38ff0009']);
    assert.equal(d.sessions.get('0x10000af38ff0009')?.expiresAt, Date.parse('Wed Dec 02 08:06:43 UTC 2026'));
    assert.deepEqual([...d.ephemerals], [['0x10000af38ff0014', ['/eph1', '/q1/eph2']]]);
  });

  it("a follower's global sessions, with their timeouts (as 3.8 lists them)", () => {
    const d = parseDump('SessionTracker dump:\nGlobal Sessions(1):\n0x20000c975820000\t30000ms\nephemeral nodes dump:\nSessions with Ephemerals (1):\n0x20000c975820000:\n\t/e\n');
    assert.deepEqual([...d.sessions], [['0x20000c975820000', { timeoutMs: 30000 }]]);
    assert.deepEqual([...d.ephemerals], [['0x20000c975820000', ['/e']]]);
  });

  it('hostile lines are skipped: no path without an owner, no owner that is not a session id', () => {
    const d = parseDump(['Sessions with Ephemerals (2):', '\t/orphan', 'zz:', '\t/x', '0xZZ:', '0x01:', '\tnot-a-path', '\t/ok', 'Connections dump:', '\t/after'].join('\n'));
    assert.deepEqual([...d.ephemerals], [['0x1', ['/ok']]]);
    assert.equal(d.sessions.size, 0);
  });

  it("the AdminServer's dump (decimal session ids; past 2^53 they arrive quoted, see quoteUnsafeIntegers)", () => {
    const d = parseAdminDump({
      expiry_time_to_session_ids: { '1764662800000': ['72058346553933844', 'junk'] },
      session_id_to_ephemeral_paths: { '72058346553933844': ['/a', 5, 'no-slash'], junk: ['/b'] },
    });
    assert.equal(d.sessions.size, 1);
    const id = '0x' + BigInt('72058346553933844').toString(16);
    assert.deepEqual([...d.sessions], [[id, { expiresAt: 1764662800000 }]]);
    assert.deepEqual([...d.ephemerals], [[id, ['/a']]]);
  });
});
