// Why a connection is in its state (its row, tooltip, status bar and toasts) is worded by the domain
// as a Message and shown in the user's language; the English `detail` stays for the log.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { closedPort } from '../harness/net';
import { window } from '../fakes/vscode';
import { useTranslate } from '../fakes/translateSwap';
import { EnsembleConnection, type ConnectionStatus } from '../../src/zk/ensembleConnection';
import { msg, renderMessage, messageOfError } from '../../src/zk/message';
import { noAnswerError, notReadOnlyError, socketErrorReason } from '../../src/zk/socketErrors';
import { authenticateDigestMd5, GSSAPI_REFUSAL, NO_SASL_ON_SERVER } from '../../src/zk/sasl/saslExchange';
import { AuthFailure, SASL_REQUIRED_MESSAGE } from '../../src/zk/postHandshakeStep';
import { localizedDetail } from '../../src/ui/localized';
import { ZnodeUri } from '../../src/zk/znodeUri';
import { znodeUriProblem } from '../../src/ui/nodeArgs';
import { ConnectionPool } from '../../src/zk/connectionPool';
import { registerConnectionStatusBar } from '../../src/connections/connectionStatusBar';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { fakeExtensionContext } from '../fakes/vscode';
import { marking, untranslated } from '../zk/markingTranslate';


const shown = (status: ConnectionStatus) => renderMessage(status.detailMessage ?? '', marking);

describe('connection status detail: in the user\'s language', () => {
  useTranslate(marking);

  it('connecting, the socket error and disconnecting are Messages; detail stays English', async () => {
    const port = await closedPort();
    const c = new EnsembleConnection({ name: 'x', connectString: `127.0.0.1:${port}`, connectTimeoutMs: 2000 });
    const seen: ConnectionStatus[] = [];
    c.on('status', (s: ConnectionStatus) => seen.push(s));
    try {
      await assert.rejects(c.open(500));
      assert.equal(seen[0].state, 'connecting');
      assert.equal(seen[0].detail, `Connecting to 127.0.0.1:${port}`);
      assert.equal(shown(seen[0]), `«Connecting to 127.0.0.1:${port}»`);
      const refused = seen.find((s) => /refused/.test(s.detail ?? ''));
      assert.ok(refused, `a refusal among ${seen.map((s) => s.detail).join(' | ')}`);
      assert.match(shown(refused), /^«connection refused \(.*\): is ZooKeeper running on that port\?»$/);
      await c.close();
      assert.equal(c.getStatus().detail, 'Disconnected');
      assert.equal(shown(c.getStatus()), '«Disconnected»');
    } finally {
      await c.dispose();
    }
  });

  it('timeouts and read-only refusals found by the wire layer are Messages', () => {
    const server = { host: 'h', port: 1 };
    for (const err of [noAnswerError(server, 'connect', 5), noAnswerError(server, 'handshake', 5), noAnswerError(server, 'sasl', 5)]) {
      const text = renderMessage(socketErrorReason(err, false), marking);
      assert.equal(untranslated(text), '', text);
      assert.match(err.message, /^no answer from h:1 .*within 5 ms$/);
    }
    for (const why of ['refused', 'cannotCarry', 'needsLocalSessions'] as const) {
      const err = notReadOnlyError(server, why);
      assert.equal(err.code, 'NOTREADONLY');
      assert.match(renderMessage(socketErrorReason(err, false), marking), /^«h:1 is in read-only mode \(no quorum\) and .*»$/);
    }
  });

  it('SASL refusals are AuthFailures carrying Messages', async () => {
    const refusedBy = (err: number) => authenticateDigestMd5(async () => ({ err, body: Buffer.alloc(0) }), { user: 'bob', password: Buffer.from('pw') });
    await assert.rejects(refusedBy(-115), (e: unknown) => {
      assert.ok(e instanceof AuthFailure);
      assert.equal(e.kind, 'rejected');
      assert.match(e.message, /^The server rejected SASL user "bob"/);
      assert.match(renderMessage(messageOfError(e), marking), /^«The server rejected SASL user "bob" .*»$/);
      return true;
    });
    for (const m of [GSSAPI_REFUSAL, NO_SASL_ON_SERVER, SASL_REQUIRED_MESSAGE]) {
      const failure = new AuthFailure('badServer', m);
      assert.equal(failure.message, renderMessage(m));
      assert.equal(untranslated(renderMessage(messageOfError(failure), marking)), '');
    }
  });

  it('a bad znode URI and an unknown connection name are worded for translation', async () => {
    for (const text of ['zk:///a', 'zk://c/%zz', 'zk://c/a//b']) {
      assert.throws(() => ZnodeUri.parse(text), (e: unknown) => {
        assert.equal(untranslated(renderMessage(messageOfError(e), marking)), '', String(e));
        return true;
      });
    }
    assert.equal(znodeUriProblem('zk:///a'), '«A znode URI needs a connection name: zk://<connection name>/<znode path>»');
    const pool = new ConnectionPool(async () => undefined);
    await assert.rejects(pool.open('nope'), (e: unknown) => renderMessage(messageOfError(e), marking) === '«No connection named "nope"»');
  });

  it('the status bar tooltip shows the detail through l10n.t', () => {
    const win = window as unknown as { createStatusBarItem: () => unknown };
    const original = { create: win.createStatusBarItem };
    const items: { tooltip?: { value: string } }[] = [];
    win.createStatusBarItem = () => {
      const item = original.create() as { tooltip?: { value: string } };
      items.push(item);
      return item;
    };
    try {
      const status: ConnectionStatus = { state: 'reconnecting', detail: 'Lost h:1', detailMessage: msg('Lost {0}', 'h:1') };
      assert.equal(localizedDetail(status), '«Lost h:1»');
      const registry = {
        active: 'prod',
        configs: () => [{ name: 'prod', connectString: 'h:1' }],
        get: () => ({ getStatus: () => status, readOnly: false }),
        onDidChangeStatus: () => ({ dispose() {} }),
        onDidChangeConnections: () => ({ dispose() {} }),
      } as unknown as ConnectionRegistry;
      registerConnectionStatusBar(fakeExtensionContext(process.cwd()) as never, registry);
      assert.match(items[0].tooltip?.value ?? '', /«Lost h:1»/);
    } finally {
      win.createStatusBarItem = original.create;
    }
  });
});
